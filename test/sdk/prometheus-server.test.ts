import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsHandle, startMetrics } from '../../src/sdk/index.js';
import {
  type PrometheusServer,
  type PromSample,
  prometheusBinary,
  startPrometheusServer,
} from '../support/prometheus-server.js';

const binary = prometheusBinary('prometheus');
const finite = (samples: PromSample[]): boolean =>
  samples.some((sample) => Number.isFinite(Number(sample.value[1])));

describe.skipIf(binary === undefined)('a real Prometheus server scraping startMetrics', () => {
  let handle: MetricsHandle;
  let prometheus: PrometheusServer;
  let workload: NodeJS.Timeout;

  beforeAll(async () => {
    handle = await startMetrics({ registerGlobal: false, env: {}, prometheus: { port: 0 } });
    const meter = handle.meterProvider.getMeter('opmeter/test');
    const workflow = meter.createHistogram('workflow.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.5, 1, 2, 5, 10, 30, 60] },
    });
    const event = meter.createHistogram('event.processing.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.0001, 0.0005, 0.001, 0.005, 0.01] },
    });
    let tick = 0;
    workload = setInterval(() => {
      tick++;
      workflow.record(1 + (tick % 20), {
        'workflow.code': 'WF1',
        package: 'billing',
        outcome: 'success',
      });
      for (let i = 0; i < 20; i++)
        event.record(0.0002 * (1 + (i % 10)), { 'event.type': 'order.created' });
    }, 20);
    const target = new URL(handle.prometheus?.url ?? '').host;
    prometheus = await startPrometheusServer({ binary: binary ?? 'prometheus', target });
  }, 30_000);

  afterAll(async () => {
    clearInterval(workload);
    await prometheus?.stop();
    await handle?.shutdown();
  });

  it('answers histogram_quantile over workflow_duration_seconds_bucket', async () => {
    const samples = await prometheus.waitForSamples(
      'histogram_quantile(0.95, sum by (le) (rate(workflow_duration_seconds_bucket[1m])))',
      { accept: finite },
    );

    expect(samples).toHaveLength(1);
    const p95 = Number(samples[0]?.value[1]);
    expect(p95).toBeGreaterThan(10);
    expect(p95).toBeLessThanOrEqual(30);
  }, 40_000);

  it('negotiates OpenMetrics and gzip on every scrape and keeps the target up', async () => {
    const served = await prometheus.waitForSamples(
      'opmeter_prometheus_scrape_duration_seconds_count{opmeter_prometheus_format="openmetrics",' +
        'opmeter_prometheus_encoding="gzip",opmeter_prometheus_outcome="ok"} >= 3',
    );
    const others = await prometheus.query(
      'opmeter_prometheus_scrape_duration_seconds_count{opmeter_prometheus_format!="openmetrics"}',
    );
    const up = await prometheus.query('min_over_time(up{job="opmeter"}[1m])');

    expect(served).toHaveLength(1);
    expect(others).toEqual([]);
    expect(up[0]?.value[1]).toBe('1');
  }, 40_000);

  it('answers a rate over event_processing_duration_seconds_count', async () => {
    const samples = await prometheus.waitForSamples(
      'rate(event_processing_duration_seconds_count[1m])',
      { accept: finite },
    );

    expect(samples[0]?.metric).toMatchObject({ event_type: 'order.created', job: 'opmeter' });
    expect(Number(samples[0]?.value[1])).toBeGreaterThan(0);
  }, 40_000);
});
