import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClusterPrimaryHandle,
  type ClusterPrimaryOptions,
  startClusterPrimary,
} from '../../src/cluster/index.js';
import { parseExposition } from '../support/exposition-parser.js';

const THREAD = join(import.meta.dirname, 'fixtures', 'answered-thread.mjs');

/** A thread of the fixture, driven by commands; each resolves with the total it recorded. */
class Thread {
  readonly worker: Worker;

  constructor(series: number) {
    this.worker = new Worker(THREAD, { workerData: { series } });
  }

  command(command: unknown): Promise<number> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (reply: { total: number }) => resolve(reply.total));
      this.worker.once('error', reject);
      if (command !== undefined) this.worker.postMessage(command);
    });
  }
}

function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseExposition(text)
    .samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )
    .reduce((total, s) => total + s.value, 0);
}

/** Points the primary refused for `reason`. */
const refused = (text: string, reason: string) =>
  sum(text, 'opmeter_cluster_refused_total', { opmeter_cluster_reason: reason });

const start = (options: ClusterPrimaryOptions = {}) =>
  startClusterPrimary({
    prometheus: { mode: 'handler', scopeLabels: false },
    registerGlobal: false,
    resourceDetectors: [],
    intervalMs: 50,
    ...options,
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cluster answers: no delta is lost when the primary misses a report', () => {
  const primaries: ClusterPrimaryHandle[] = [];
  const threads: Thread[] = [];
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((thread) => thread.worker.terminate()));
    await Promise.all(primaries.splice(0).map((primary) => primary.shutdown()));
  });

  const scrape = async (primary: ClusterPrimaryHandle) =>
    (await primary.prometheus?.scrape()) ?? '';

  it('a thread that records and reports before the primary listens: exact after its final flush', async () => {
    const thread = new Thread(3);
    threads.push(thread);
    await thread.command(undefined);
    // Three reports (and the timer's) go to a channel nobody listens on yet.
    for (let i = 0; i < 3; i++) await thread.command({ jobs: 10 });
    await sleep(200);
    const primary = await start();
    primaries.push(primary);
    await thread.command({ jobs: 5 });
    const total = await thread.command('finish');
    expect(total).toBe(105);
    const text = await scrape(primary);
    expect(sum(text, 'answered_jobs_total')).toBe(105);
    expect(refused(text, 'unknown')).toBe(0);
  });

  it('the primary refuses the first report of an epoch as too large: exact after the final flush, no unknown ids', async () => {
    const primary = await start({ maxMessageBytes: 4096 });
    primaries.push(primary);
    // 100 series with long attributes: the first report (all described) is about 10 KB.
    const thread = new Thread(100);
    threads.push(thread);
    await thread.command(undefined);
    await thread.command({ jobs: 1 });
    // Waits for the refusal, which also tells the worker the primary's limit: sent again, split.
    await thread.command('flush');
    for (let i = 0; i < 5; i++) await thread.command({ jobs: 2 });
    const total = await thread.command('finish');
    expect(total).toBe(1100);
    const text = await scrape(primary);
    expect(sum(text, 'answered_jobs_total')).toBe(1100);
    expect(refused(text, 'too_large')).toBe(1);
    expect(refused(text, 'unknown')).toBe(0);
  });

  it('a restarted primary gets, after the final flush, everything the first one did not merge', async () => {
    const first = await start();
    primaries.push(first);
    const thread = new Thread(4);
    threads.push(thread);
    await thread.command(undefined);
    await thread.command({ jobs: 3 });
    await thread.command('flush');
    const merged = sum(await scrape(first), 'answered_jobs_total');
    expect(merged).toBe(12);
    await first.shutdown();
    // Recorded and reported while no primary listens.
    await thread.command({ jobs: 5 });
    const second = await start();
    primaries.push(second);
    await thread.command({ jobs: 7 });
    const total = await thread.command('finish');
    expect(total).toBe(60);
    const text = await scrape(second);
    expect(merged + sum(text, 'answered_jobs_total')).toBe(60);
    // The ids the first primary knew are refused by the second once: at most one report's worth.
    const unknown = refused(text, 'unknown');
    console.log(`restarted primary: ${unknown} points refused as unknown`);
    expect(unknown).toBeLessThanOrEqual(4);
  });
});
