import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClusterPrimaryHandle, startClusterPrimary } from '../../src/cluster/index.js';
import { parseExposition } from '../support/exposition-parser.js';

const THREAD = join(import.meta.dirname, 'fixtures', 'thread-worker.mjs');
const FANOUT = join(import.meta.dirname, 'fixtures', 'fanout-thread.mjs');

function runs(text: string): number {
  return parseExposition(text)
    .samples.filter(
      (s) =>
        s.name === 'workflow_duration_seconds_count' && s.labels.workflow_code === 'THREAD_JOB',
    )
    .reduce((sum, s) => sum + s.value, 0);
}

describe('worker_threads: work done in a thread lands in the main thread scrape', () => {
  let primary: ClusterPrimaryHandle | undefined;
  afterEach(async () => {
    await primary?.shutdown();
  });

  it('merges the final reports of a pool of threads', async () => {
    primary = await startClusterPrimary({
      prometheus: { mode: 'handler' },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 50,
    });
    const counts = [25, 40, 3];
    await Promise.all(
      counts.map(async (n) => {
        const worker = new Worker(THREAD, { workerData: { runs: n } });
        await new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        });
        await worker.terminate();
      }),
    );
    const scrape = primary.prometheus?.scrape ?? (async () => '');
    const deadline = Date.now() + 5000;
    let text = await scrape();
    while (runs(text) < 68 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await scrape();
    }
    expect(runs(text)).toBe(68);
  });

  it('fans in O(n): 8 threads, each report reaches the main thread once and no other thread', async () => {
    primary = await startClusterPrimary({
      prometheus: { mode: 'handler', scopeLabels: false },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 60_000,
    });
    const reports = 20;
    const pool = Array.from({ length: 8 }, () => new Worker(FANOUT, { workerData: { reports } }));
    const next = (worker: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    try {
      await Promise.all(pool.map(next));
      const sent = Promise.all(pool.map(next));
      for (const worker of pool) worker.postMessage('go');
      await sent;
      const scrape = primary.prometheus?.scrape ?? (async () => '');
      const reportsMerged = async () =>
        parseExposition(await scrape()).samples.find(
          (s) => s.name === 'opmeter_cluster_reports_total',
        )?.value ?? 0;
      const deadline = Date.now() + 5000;
      while ((await reportsMerged()) < 8 * reports && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const text = await scrape();
      expect(await reportsMerged()).toBe(8 * reports);
      const perThread = parseExposition(text).samples.filter((s) => s.name === 'fanout_jobs_total');
      expect(perThread).toHaveLength(8);
      for (const sample of perThread) expect(sample.value).toBe(reports);

      const stats = await primary.collectStats({ timeoutMs: 2000 });
      expect(stats.snapshot().totals.operations).toBe(8);

      // Each thread's channels were handed the one stats request, the answers to its own reports
      // (seq 1 to 20, each once) and nothing of the others.
      const counted = Promise.all(pool.map(next));
      for (const worker of pool) worker.postMessage('count');
      const own = Array.from({ length: reports }, (_, i) => i + 1);
      expect(await counted).toEqual(pool.map(() => ({ received: 1, answered: own })));
    } finally {
      for (const worker of pool) worker.postMessage('stop');
      await Promise.all(
        pool.map((worker) => new Promise((resolve) => worker.once('exit', resolve))),
      );
    }
  });
});
