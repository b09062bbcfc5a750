import {
  DataPointType,
  type HistogramMetricData,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type MetricsHandle,
  OpmeterConfigError,
  resolveConfig,
  type StartMetricsOptions,
  startMetrics,
  WORKFLOW_DURATION_BUCKETS,
  withSloBoundaries,
} from '../../src/sdk/index.js';

const handles: MetricsHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
});

async function start(options: StartMetricsOptions): Promise<MetricsHandle> {
  const handle = await startMetrics({ registerGlobal: false, env: {}, inMemory: true, ...options });
  handles.push(handle);
  return handle;
}

function find(snapshot: ResourceMetrics | undefined, name: string): MetricData | undefined {
  return snapshot?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
}

function histogram(metric: MetricData | undefined): HistogramMetricData {
  if (metric?.dataPointType !== DataPointType.HISTOGRAM) throw new Error('not a histogram');
  return metric;
}

describe('views', () => {
  it('adds SLO thresholds as exact bucket edges (le labels) over advice boundaries', async () => {
    const handle = await start({
      prometheus: { mode: 'handler' },
      views: [
        {
          instrument: 'workflow.duration',
          histogram: { kind: 'explicit', boundaries: WORKFLOW_DURATION_BUCKETS, slo: [0.3, 7] },
        },
      ],
    });
    handle.meterProvider
      .getMeter('opmeter/workflow')
      .createHistogram('workflow.duration', {
        unit: 's',
        advice: { explicitBucketBoundaries: [1, 2, 3] },
      })
      .record(0.2);

    const body = (await handle.prometheus?.scrape()) ?? '';
    const le = [...body.matchAll(/^workflow_duration_seconds_bucket\{.*le="([^"]+)"\}/gm)].map(
      (m) => m[1],
    );

    const expected = withSloBoundaries(WORKFLOW_DURATION_BUCKETS, [0.3, 7]);
    expect(expected).toContain(0.3);
    expect(le).toEqual([...expected.map(String), '+Inf']);
    expect(body).toMatch(/^workflow_duration_seconds_bucket\{.*le="0.3"\} 1$/m);
    expect(body).toMatch(/^workflow_duration_seconds_bucket\{.*le="7"\} 1$/m);
  });

  it('overrides boundaries per instrument and leaves other instruments alone', async () => {
    const handle = await start({
      views: [{ instrument: 'a.duration', histogram: { kind: 'explicit', boundaries: [5, 50] } }],
    });
    const meter = handle.meterProvider.getMeter('t');
    const advice = { explicitBucketBoundaries: [1, 2] };
    meter.createHistogram('a.duration', { unit: 's', advice }).record(1);
    meter.createHistogram('b.duration', { unit: 's', advice }).record(1);

    const snapshot = await handle.collect?.();

    expect(histogram(find(snapshot, 'a.duration')).dataPoints[0]?.value.buckets.boundaries).toEqual(
      [5, 50],
    );
    expect(histogram(find(snapshot, 'b.duration')).dataPoints[0]?.value.buckets.boundaries).toEqual(
      [1, 2],
    );
  });

  it('keeps only allowlisted attribute keys, drops denylisted ones', async () => {
    const handle = await start({
      views: [
        { instrument: 'allowed', attributes: { kind: 'allow', keys: ['outcome'] } },
        { instrument: 'denied', attributes: { kind: 'deny', keys: ['user.id'] } },
      ],
    });
    const meter = handle.meterProvider.getMeter('t');
    const attributes = { outcome: 'success', 'user.id': 'u-1', region: 'eu' };
    meter.createCounter('allowed').add(1, attributes);
    meter.createCounter('denied').add(1, attributes);

    const snapshot = await handle.collect?.();

    expect(find(snapshot, 'allowed')?.dataPoints[0]?.attributes).toEqual({ outcome: 'success' });
    expect(find(snapshot, 'denied')?.dataPoints[0]?.attributes).toEqual({
      outcome: 'success',
      region: 'eu',
    });
  });

  it('caps cardinality per instrument: excess series go to otel.metric.overflow', async () => {
    const handle = await start({
      prometheus: { mode: 'handler' },
      views: [{ instrument: 'requests', cardinalityLimit: 10 }],
    });
    const counter = handle.meterProvider.getMeter('t').createCounter('requests');
    for (let i = 0; i < 1000; i++) counter.add(1, { user: `u${i}` });

    const points = find(await handle.collect?.(), 'requests')?.dataPoints ?? [];
    const body = (await handle.prometheus?.scrape()) ?? '';

    expect(points).toHaveLength(10);
    const overflow = points.find((p) => p.attributes['otel.metric.overflow'] === true);
    expect(overflow?.value).toBe(991);
    expect(body).toMatch(/^requests_total\{otel_metric_overflow="true",.*\} 991$/m);
  });

  it('applies the global cardinalityLimit to instruments without a view', async () => {
    const handle = await start({ cardinalityLimit: 5, prometheus: { mode: 'handler' } });
    const counter = handle.meterProvider.getMeter('t').createCounter('hits');
    for (let i = 0; i < 100; i++) counter.add(1, { id: String(i) });

    expect(find(await handle.collect?.(), 'hits')?.dataPoints).toHaveLength(5);
    const body = (await handle.prometheus?.scrape()) ?? '';
    expect(body.match(/^hits_total\{/gm)).toHaveLength(5);
  });

  it('drops an instrument entirely', async () => {
    const handle = await start({ views: [{ instrument: 'noisy.*', drop: true }] });
    const meter = handle.meterProvider.getMeter('t');
    meter.createCounter('noisy.debug').add(1);
    meter.createCounter('kept').add(1);

    const snapshot = await handle.collect?.();

    expect(find(snapshot, 'noisy.debug')).toBeUndefined();
    expect(find(snapshot, 'kept')).toBeDefined();
  });

  it('gives an exponential histogram to a view that asks for one', async () => {
    const handle = await start({
      views: [
        {
          instrument: 'event.processing.duration',
          histogram: { kind: 'exponential', maxSize: 40 },
        },
      ],
    });
    handle.meterProvider
      .getMeter('t')
      .createHistogram('event.processing.duration', { unit: 's' })
      .record(0.001);

    const metric = find(await handle.collect?.(), 'event.processing.duration');

    expect(metric?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
  });

  it('selects by meter name when given', async () => {
    const handle = await start({
      views: [{ instrument: 'x', meter: 'opmeter/event', attributes: { kind: 'allow', keys: [] } }],
    });
    handle.meterProvider.getMeter('opmeter/event').createCounter('x').add(1, { a: '1' });
    handle.meterProvider.getMeter('other').createCounter('x').add(1, { a: '1' });

    const scopes = (await handle.collect?.())?.scopeMetrics ?? [];
    const byScope = Object.fromEntries(
      scopes.map((s) => [s.scope.name, s.metrics[0]?.dataPoints[0]?.attributes]),
    );

    expect(byScope).toEqual({ 'opmeter/event': {}, other: { a: '1' } });
  });
});

describe('invalid view configuration fails at start-up', () => {
  const cases: [string, unknown, string][] = [
    [
      'unsorted boundaries',
      [{ instrument: 'w', histogram: { kind: 'explicit', boundaries: [1, 0.5] } }],
      'views[0] (w).histogram: bucket boundaries: value 0.5 at index 1 is not greater than 1',
    ],
    [
      'negative boundaries',
      [{ instrument: 'w', histogram: { kind: 'explicit', boundaries: [-1, 1] } }],
      'value -1 at index 0 is not a finite number >= 0',
    ],
    [
      'negative SLO',
      [{ instrument: 'w', histogram: { kind: 'explicit', boundaries: [1], slo: [-2] } }],
      'SLO thresholds: value -2',
    ],
    [
      'empty selector',
      [{ instrument: ' ', cardinalityLimit: 5 }],
      "views[0].instrument is empty: name an instrument ('workflow.duration') or a pattern ('http.*')",
    ],
    [
      'unknown key',
      [{ instrument: 'w', buckets: [1, 2] }],
      "views[0] has an unknown key 'buckets': allowed keys are instrument, meter, drop, histogram, attributes, cardinalityLimit",
    ],
    [
      'unknown histogram kind',
      [{ instrument: 'w', histogram: { kind: 'linear' } }],
      "views[0] (w).histogram.kind must be 'explicit' or 'exponential'",
    ],
    [
      'a view that changes nothing',
      [{ instrument: 'w' }],
      'views[0] (w) changes nothing: set histogram, attributes, cardinalityLimit or drop: true',
    ],
    [
      'drop combined with settings',
      [{ instrument: 'w', drop: true, cardinalityLimit: 3 }],
      'views[0] (w) sets drop: true and cardinalityLimit',
    ],
    [
      'zero cardinality limit',
      [{ instrument: 'w', cardinalityLimit: 0 }],
      'views[0] (w).cardinalityLimit is 0: expected a whole number between 1 and',
    ],
    [
      'empty deny list',
      [{ instrument: 'w', attributes: { kind: 'deny', keys: [] } }],
      'views[0] (w).attributes.keys is empty',
    ],
    [
      'two views on one instrument',
      [
        { instrument: 'w', cardinalityLimit: 3 },
        { instrument: 'w', attributes: { kind: 'allow', keys: [] } },
      ],
      'views[1] (w) selects the same instrument as an earlier view: merge them into one view',
    ],
  ];

  it.each(cases)('%s', async (_, views, message) => {
    const options = { views, registerGlobal: false, env: {} } as unknown as StartMetricsOptions;
    await expect(startMetrics(options)).rejects.toThrow(OpmeterConfigError);
    await expect(startMetrics(options)).rejects.toThrow(message);
  });

  it('refuses an exponential view while the Prometheus endpoint is on', () => {
    expect(() =>
      resolveConfig({
        prometheus: true,
        views: [{ instrument: 'w', histogram: { kind: 'exponential' } }],
      }),
    ).toThrow(
      'view on w asks for an exponential histogram, which the Prometheus endpoint cannot serve',
    );
  });
});
