import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../examples/demo/demo.js';
import {
  type PrometheusServer,
  type PromSample,
  prometheusBinary,
  startPrometheusServer,
} from '../support/prometheus-server.js';

const binary = prometheusBinary('prometheus');
const finite = (samples: PromSample[]) => samples.some((s) => Number.isFinite(Number(s.value[1])));

describe.skipIf(binary === undefined)('a real Prometheus server scraping the demo', () => {
  let demo: Demo;
  let prometheus: PrometheusServer;
  const spillDir = mkdtempSync(join(tmpdir(), 'opmeter-demo-'));

  beforeAll(async () => {
    demo = await startDemo({
      metrics: { registerGlobal: false, env: {}, prometheus: { port: 0 } },
      rowsUrl: 'sqlite::memory:',
      spillPath: join(spillDir, 'spill.db'),
    });
    const target = new URL(demo.metrics.prometheus?.url ?? '').host;
    prometheus = await startPrometheusServer({
      binary: binary ?? 'prometheus',
      target,
      features: ['exemplar-storage'],
    });
  }, 30_000);

  afterAll(async () => {
    await prometheus?.stop();
    const outcome = await demo?.stop(5000);
    expect(outcome?.errors).toEqual([]);
    rmSync(spillDir, { recursive: true, force: true });
  });

  it('answers histogram_quantile(0.95) over workflow_duration_seconds_bucket', async () => {
    const samples = await prometheus.waitForSamples(
      'histogram_quantile(0.95, sum by (le, workflow_code) (rate(workflow_duration_seconds_bucket[1m])))',
      { accept: finite, timeoutMs: 45_000 },
    );
    const p95 = Number(samples.find((s) => Number.isFinite(Number(s.value[1])))?.value[1]);
    expect(p95).toBeGreaterThan(0.05);
    expect(p95).toBeLessThan(60);
  }, 50_000);

  it('answers a rate over event_processing_duration_seconds_count by event_type', async () => {
    const samples = await prometheus.waitForSamples(
      'sum by (event_type) (rate(event_processing_duration_seconds_count[1m]))',
      { accept: (s) => s.length >= 4 && finite(s), timeoutMs: 45_000 },
    );
    const types = samples.map((s) => s.metric.event_type).sort();
    expect(types).toEqual(['order.created', 'order.paid', 'stock.adjusted', 'user.signup']);
    for (const sample of samples) expect(Number(sample.value[1])).toBeGreaterThan(1);
  }, 50_000);

  it('stores trace ids as exemplars of http_server_request_duration_seconds_bucket (OpenMetrics)', async () => {
    const deadline = Date.now() + 45_000;
    let found: { labels: Record<string, string> }[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      const series = await prometheus.queryExemplars('http_server_request_duration_seconds_bucket');
      found = series.flatMap((s) => s.exemplars);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(found.length).toBeGreaterThan(0);
    for (const exemplar of found) {
      expect(exemplar.labels.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(exemplar.labels.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
    const workflows = await prometheus.queryExemplars('workflow_duration_seconds_bucket');
    expect(workflows.flatMap((s) => s.exemplars).length).toBeGreaterThan(0);
  }, 50_000);
});
