import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClusterPrimaryHandle, startClusterPrimary } from '../../src/cluster/index.js';
import { parseExposition } from '../support/exposition-parser.js';

const THREAD = join(import.meta.dirname, 'fixtures', 'thread-worker.mjs');

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
});
