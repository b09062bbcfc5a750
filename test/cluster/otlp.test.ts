import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { startClusterPrimary } from '../../src/cluster/index.js';
import { metricsOf, startOtlpReceiver } from '../support/otlp-receiver.js';

const THREAD = join(import.meta.dirname, 'fixtures', 'thread-worker.mjs');

describe('the primary pushes the merged state over OTLP', () => {
  it('a thread’s workflow runs reach the collector in the primary’s push, cumulative', async () => {
    // OTLP/JSON bodies only: the receiver needs no protobuf definitions for them.
    const receiver = await startOtlpReceiver({} as protobuf.Type);
    const primary = await startClusterPrimary({
      serviceName: 'cluster-otlp',
      resourceDetectors: [],
      registerGlobal: false,
      intervalMs: 50,
      otlp: {
        endpoint: `${receiver.url}/v1/metrics`,
        protocol: 'http/json',
        exportIntervalMs: 60_000,
      },
    });
    try {
      const worker = new Worker(THREAD, { workerData: { runs: 12 } });
      await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
      const deadline = Date.now() + 5000;
      let count = 0;
      while (count < 12 && Date.now() < deadline) {
        await primary.forceFlush();
        const duration = metricsOf(receiver.received)
          .filter((m) => m.name === 'workflow.duration')
          .at(-1);
        const point = duration?.histogram?.dataPoints[0];
        count = Number(point?.count ?? 0);
        if (duration) expect(duration.histogram?.aggregationTemporality).toBe(2); // cumulative
      }
      expect(count).toBe(12);
      const resource = receiver.received.at(-1)?.body.resourceMetrics[0]?.resource;
      expect(JSON.stringify(resource)).toContain('cluster-otlp');
    } finally {
      await primary.shutdown();
      await receiver.close();
    }
  });
});
