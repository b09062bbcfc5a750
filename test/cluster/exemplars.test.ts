import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { exemplarExtras, mergeExemplars } from '../../src/cluster/exemplars.js';
import {
  type ClusterPrimaryHandle,
  sealReport,
  startClusterPrimary,
} from '../../src/cluster/index.js';
import { ExemplarReservoir } from '../../src/core/exemplars/reservoir.js';
import { prometheusBinary, startPrometheusServer } from '../support/prometheus-server.js';

const THREAD = join(import.meta.dirname, 'fixtures', 'exemplar-thread.mjs');
const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

/** Runs the exemplar thread to its end and waits until the primary merged its last report. */
async function runThread(primary: ClusterPrimaryHandle): Promise<string> {
  const worker = new Worker(THREAD, { workerData: SPAN });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const scrape = () => primary.prometheus?.scrape({ format: 'openmetrics' }) ?? '';
  const deadline = Date.now() + 5000;
  let body = await scrape();
  while (!body.includes('workflow_code="EXEMPLAR"') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    body = await scrape();
  }
  return body;
}

describe('exemplars recorded in workers reach the primary’s OpenMetrics exposition', () => {
  it('serves a thread’s trace id on its bucket line, and a real Prometheus stores it', async () => {
    const primary = await startClusterPrimary({
      prometheus: { port: 0 },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 50,
    });
    const binary = prometheusBinary('prometheus');
    const prometheus =
      binary === undefined
        ? undefined
        : await startPrometheusServer({
            binary,
            target: new URL(primary.prometheus?.url ?? '').host,
            features: ['exemplar-storage'],
          });
    try {
      const body = await runThread(primary);
      const line = body
        .split('\n')
        .find((l) => l.includes('workflow_code="EXEMPLAR"') && l.includes(SPAN.traceId));
      expect(line).toMatch(/^workflow_duration_seconds_bucket\{.*le="10\.0".*\} 1 # \{/);
      expect(line).toContain(`# {trace_id="${SPAN.traceId}",span_id="${SPAN.spanId}"} 2.5 `);
      expect(await primary.prometheus?.scrape()).not.toContain(SPAN.traceId);

      // promtool reads the 0.0.4 body (its text parser does not know exemplars) ...
      const promtool = prometheusBinary('promtool');
      if (promtool !== undefined) {
        const checked = spawnSync(promtool, ['check', 'metrics'], {
          input: await primary.prometheus?.scrape(),
          encoding: 'utf8',
        });
        expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
      }
      // ... and a Prometheus with exemplar storage ingests the OpenMetrics one, exemplar included.
      if (prometheus !== undefined) {
        let stored: string[] = [];
        const deadline = Date.now() + 20_000;
        while (stored.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          const series = await prometheus.queryExemplars(
            'workflow_duration_seconds_bucket{workflow_code="EXEMPLAR"}',
          );
          stored = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id ?? ''));
        }
        expect(stored).toContain(SPAN.traceId);
      }
    } finally {
      await prometheus?.stop();
      await primary.shutdown();
    }
  }, 40_000);

  it('serves none of the workers’ exemplars with exemplars: false', async () => {
    const primary = await startClusterPrimary({
      prometheus: { mode: 'handler' },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 50,
      exemplars: false,
    });
    try {
      const body = await runThread(primary);
      expect(body).toContain('workflow_code="EXEMPLAR"');
      expect(body).not.toContain(SPAN.traceId);
    } finally {
      await primary.shutdown();
    }
  });

  it('sends the newest exemplars within the byte budget, and the primary skips malformed ones', () => {
    const worker = new ExemplarReservoir();
    worker.declare('work.duration', [1, 10]);
    for (let i = 0; i < 10; i++) {
      const spanId = `${i}`.padStart(16, '0');
      worker.offer('work.duration', { job: `j${i}` }, i, { ...SPAN, spanId, traceFlags: 1 });
    }
    const extras = exemplarExtras(worker, 100, 600);
    const sent = extras.exemplars ?? [];
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThan(10);
    expect(JSON.stringify(extras).length).toBeLessThanOrEqual(600);
    expect(sent[0]).toMatchObject({ n: 'work.duration', a: { job: 'j9' }, k: 1, v: 9 });
    expect(extras.exemplarBounds).toEqual({ 'work.duration': [1, 10] });

    const report = sealReport('w', 1, 1, [], {
      ...extras,
      exemplars: [...sent, { n: 'work.duration', a: null, k: 1 } as never],
    });
    const primary = new ExemplarReservoir();
    mergeExemplars(primary, JSON.parse(JSON.stringify(report)));
    expect(primary.exemplar('work.duration', { job: 'j9' }, 1, [1, 10])).toMatchObject({
      traceId: SPAN.traceId,
      value: 9,
    });
  });
});
