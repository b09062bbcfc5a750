import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { metrics } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  sealReport,
  startClusterPrimary,
  startClusterWorker,
  THREAD_CHANNEL,
} from '../../src/cluster/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { parseExposition } from '../support/exposition-parser.js';
import { freePort } from './free-port.js';

const DISABLED = { OTEL_SDK_DISABLED: 'true' };
const THREAD = join(import.meta.dirname, 'fixtures', 'thread-worker.mjs');

/** Whether `port` can be bound on loopback (so nothing else listens on it). */
async function bindable(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}

describe('OTEL_SDK_DISABLED=true: the cluster handles are no-ops', () => {
  it('the primary listens, serves and registers nothing, and merges no report', async () => {
    const port = await freePort();
    const before = metrics.getMeterProvider();
    const listeners = [cluster.listenerCount('message'), cluster.listenerCount('exit')];
    const stats = new SessionStats();
    stats.record('workflow', 'OWN', 0.1, 0, true);
    const primary = await startClusterPrimary({
      env: DISABLED,
      prometheus: { host: '127.0.0.1', port },
      resourceDetectors: [],
      stats,
    });
    try {
      expect(primary.prometheus).toBeUndefined();
      expect(await bindable(port)).toBe(true);
      expect(metrics.getMeterProvider()).toBe(before);
      expect([cluster.listenerCount('message'), cluster.listenerCount('exit')]).toEqual(listeners);
      primary.meterProvider.getMeter('m').createCounter('c').add(1);
      const channel = new BroadcastChannel(THREAD_CHANNEL);
      channel.postMessage(sealReport('thread:1/1', 1, 1, []));
      channel.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(primary.reportingWorkers()).toEqual([]);
      expect((await primary.collect()).scopeMetrics).toEqual([]);
      expect((await primary.collectStats()).snapshot().totals.operations).toBe(1);
    } finally {
      await primary.shutdown();
    }
  });

  it('a worker sends, listens for and registers nothing', async () => {
    const sent: unknown[] = [];
    const send = process.send;
    process.send = ((message: unknown) => sent.push(message) > 0) as typeof process.send;
    const before = metrics.getMeterProvider();
    const [beforeExit, message] = [
      process.listenerCount('beforeExit'),
      process.listenerCount('message'),
    ];
    try {
      const telemetry = startClusterWorker({ env: DISABLED, stats: new SessionStats() });
      expect(telemetry.reader).toBeUndefined();
      expect(telemetry.stats).toBeInstanceOf(SessionStats);
      telemetry.meterProvider.getMeter('m').createHistogram('h').record(1);
      await telemetry.forceFlush();
      await telemetry.shutdown();
      expect(sent).toEqual([]);
      expect(metrics.getMeterProvider()).toBe(before);
      expect([process.listenerCount('beforeExit'), process.listenerCount('message')]).toEqual([
        beforeExit,
        message,
      ]);
    } finally {
      process.send = send;
    }
  });

  it('a worker thread started with it reports nothing to an enabled primary', async () => {
    const primary = await startClusterPrimary({
      prometheus: { mode: 'handler' },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 50,
    });
    try {
      const worker = new Worker(THREAD, {
        workerData: { runs: 5 },
        env: { ...process.env, ...DISABLED },
      });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = (await primary.prometheus?.scrape()) ?? '';
      const names = new Set(parseExposition(text).samples.map((s) => s.name));
      expect(names.has('workflow_duration_seconds_count')).toBe(false);
      expect(names.has('opmeter_cluster_reports_total')).toBe(false);
      expect(primary.reportingWorkers()).toEqual([]);
    } finally {
      await primary.shutdown();
    }
  });
});
