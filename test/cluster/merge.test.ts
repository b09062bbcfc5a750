import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType, MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { type GaugePolicy, MergedMetrics } from '../../src/cluster/merge.js';
import {
  ATTR_CLUSTER_WORKER,
  ATTR_METRIC_OVERFLOW,
  REASON_BOUNDARIES,
  REASON_CONFLICT,
  REASON_MALFORMED,
  REASON_OVERFLOW,
} from '../../src/cluster/semconv.js';
import {
  type DeltaMessage,
  encodeDeltas,
  sealReport,
  type WireMetric,
} from '../../src/cluster/wire.js';
import { ClusterWorkerReader, type ReportTransport } from '../../src/cluster/worker-reader.js';

const RESOURCE = resourceFromAttributes({ 'service.name': 'merge-test' });

function report(metrics: WireMetric[], bounds: number[][] = []): DeltaMessage {
  return sealReport('test', 1, bounds, metrics);
}

function metric(kind: WireMetric['kind'], points: WireMetric['points'], name = 'jobs'): WireMetric {
  return {
    scope: 's',
    name,
    description: '',
    unit: '1',
    valueType: ValueType.DOUBLE,
    kind,
    points,
  };
}

function setup(options: { policy?: GaugePolicy; maxSeries?: number } = {}) {
  const refused = new Map<string, number>();
  const merged = new MergedMetrics({
    maxSeriesPerMetric: options.maxSeries ?? 100,
    maxMetrics: 10,
    gaugePolicy: () => options.policy ?? 'last',
    onRefused: (reason, points) => refused.set(reason, (refused.get(reason) ?? 0) + points),
  });
  const data = (name = 'jobs'): MetricData | undefined =>
    merged
      .snapshot(RESOURCE)
      .scopeMetrics.flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === name);
  const values = (name = 'jobs') =>
    (data(name)?.dataPoints ?? []).map((p) => [p.attributes, p.value] as const);
  return { merged, refused, data, values };
}

describe('MergedMetrics: merge rules', () => {
  it('adds counter and up-down counter deltas of every worker per attribute set', () => {
    const { merged, values } = setup();
    merged.apply('a', report([metric('counter', [{ a: { k: 'x' }, v: 2 }])]));
    merged.apply(
      'b',
      report([
        metric('counter', [
          { a: { k: 'x' }, v: 3 },
          { a: { k: 'y' }, v: 1 },
        ]),
      ]),
    );
    merged.apply('a', report([metric('counter', [{ a: { k: 'x' }, v: 5 }])]));
    expect(values()).toEqual([
      [{ k: 'x' }, 10],
      [{ k: 'y' }, 1],
    ]);
    merged.apply('a', report([metric('updown', [{ a: {}, v: 4 }], 'queue')]));
    merged.apply('b', report([metric('updown', [{ a: {}, v: -1 }], 'queue')]));
    expect(values('queue')).toEqual([[{}, 3]]);
  });

  it('keys series by attribute set, not by key order, and keeps one attributes object per series', () => {
    const { merged, data } = setup();
    merged.apply('a', report([metric('counter', [{ a: { x: 1, y: 2 }, v: 1 }])]));
    const first = data()?.dataPoints[0]?.attributes;
    merged.apply('b', report([metric('counter', [{ a: { y: 2, x: 1 }, v: 1 }])]));
    const points = data()?.dataPoints ?? [];
    expect(points).toHaveLength(1);
    expect(points[0]?.value).toBe(2);
    expect(points[0]?.attributes).toBe(first);
  });

  it('adds histograms bucket by bucket with the same boundaries', () => {
    const { merged, data } = setup();
    const bounds = [[1, 5]];
    merged.apply(
      'a',
      report([metric('histogram', [{ a: {}, b: 0, c: [1, 2, 0], s: 6, n: 3 }])], bounds),
    );
    merged.apply(
      'b',
      report([metric('histogram', [{ a: {}, b: 0, c: [0, 1, 4], s: 40, n: 5 }])], bounds),
    );
    const histogram = data();
    expect(histogram?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(histogram?.dataPoints[0]?.value).toEqual({
      buckets: { boundaries: [1, 5], counts: [1, 3, 4] },
      sum: 46,
      count: 8,
    });
  });

  it('refuses (and counts) histogram points whose boundaries differ, keeping the merged ones', () => {
    const { merged, data, refused } = setup();
    merged.apply(
      'a',
      report([metric('histogram', [{ a: {}, b: 0, c: [1, 0, 0], s: 1, n: 1 }])], [[1, 5]]),
    );
    merged.apply(
      'b',
      report([metric('histogram', [{ a: {}, b: 0, c: [9, 9, 9], s: 9, n: 27 }])], [[1, 6]]),
    );
    merged.apply(
      'c',
      report([metric('histogram', [{ a: {}, b: 0, c: [9, 9], s: 9, n: 18 }])], [[1, 5]]),
    );
    expect(refused.get(REASON_BOUNDARIES)).toBe(1);
    expect(refused.get(REASON_MALFORMED)).toBe(1);
    expect(data()?.dataPoints[0]?.value).toMatchObject({ count: 1 });
  });

  it('refuses a metric that arrives with another kind or unit, and malformed reports', () => {
    const { merged, values, refused } = setup();
    merged.apply('a', report([metric('counter', [{ a: {}, v: 1 }])]));
    merged.apply('b', report([metric('gauge', [{ a: {}, v: 7 }])]));
    merged.apply('b', report([{ ...metric('counter', [{ a: {}, v: 7 }]), unit: 's' }]));
    expect(merged.apply('b', { type: 'opmeter.cluster.delta', v: 2, metrics: [] })).toBe(false);
    expect(merged.apply('b', 'garbage')).toBe(false);
    expect(values()).toEqual([[{}, 1]]);
    expect(refused.get(REASON_CONFLICT)).toBe(2);
    expect(refused.get(REASON_MALFORMED)).toBe(2);
  });

  it.each([
    ['last', [[{}, 5]]],
    ['sum', [[{}, 12]]],
    ['max', [[{}, 7]]],
    ['min', [[{}, 5]]],
    [
      'worker',
      [
        [{ [ATTR_CLUSTER_WORKER]: 'a' }, 7],
        [{ [ATTR_CLUSTER_WORKER]: 'b' }, 5],
      ],
    ],
  ] as const)(
    'combines gauges by policy %s; a worker that exits takes its value away',
    (policy, expected) => {
      const { merged, values } = setup({ policy });
      merged.apply('a', report([metric('gauge', [{ a: {}, v: 7 }])]));
      merged.apply('b', report([metric('gauge', [{ a: {}, v: 5 }])]));
      expect(values()).toEqual(expected);
      merged.dropSource('b');
      expect(values().map(([, v]) => v)).toEqual([7]);
      merged.dropSource('a');
      expect(values()).toEqual([]);
    },
  );

  it('keeps counters when their worker exits: the cumulative never goes back', () => {
    const { merged, values } = setup();
    merged.apply('a', report([metric('counter', [{ a: {}, v: 4 }])]));
    merged.dropSource('a');
    merged.apply('c', report([metric('counter', [{ a: {}, v: 1 }])]));
    expect(values()).toEqual([[{}, 5]]);
  });

  it('caps series per metric: new ones go to the overflow series and are counted', () => {
    const { merged, values, refused } = setup({ maxSeries: 2 });
    const points = [1, 2, 3, 4].map((i) => ({ a: { id: i }, v: i }));
    merged.apply('a', report([metric('counter', points)]));
    merged.apply(
      'b',
      report([
        metric('counter', [
          { a: { id: 1 }, v: 10 },
          { a: { id: 9 }, v: 9 },
        ]),
      ]),
    );
    expect(values()).toEqual([
      [{ id: 1 }, 11],
      [{ id: 2 }, 2],
      [{ [ATTR_METRIC_OVERFLOW]: true }, 16],
    ]);
    expect(refused.get(REASON_OVERFLOW)).toBe(3);
  });

  it('carries non-finite numbers through JSON', () => {
    const { merged, values } = setup();
    const wire = JSON.parse(
      JSON.stringify(report([metric('gauge', [{ a: {}, v: 'Inf' }])])),
    ) as DeltaMessage;
    merged.apply('a', wire);
    expect(values()).toEqual([[{}, Number.POSITIVE_INFINITY]]);
  });
});

describe('ClusterWorkerReader and encodeDeltas', () => {
  it('sends deltas, not cumulatives, and an empty report when nothing changed', async () => {
    const sent: DeltaMessage[] = [];
    const transport: ReportTransport = {
      source: 'test',
      send: (message) => sent.push(message as DeltaMessage) > 0,
      listen: () => () => undefined,
      close: () => undefined,
    };
    const reader = new ClusterWorkerReader({ intervalMs: 60_000, transport });
    const provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter('m').createCounter('c');
    counter.add(5);
    await reader.report();
    counter.add(2);
    await reader.report();
    await reader.report();
    expect(sent.map((m) => m.metrics.map((x) => x.points.map((p) => p.v)))).toEqual([
      [[5]],
      [[2]],
      [],
    ]);
    expect(sent.map((m) => [m.seq, m.source])).toEqual([
      [1, 'test'],
      [2, 'test'],
      [3, 'test'],
    ]);
    await provider.shutdown();
  });

  it('splits a large collection into reports under maxMessageBytes, losing nothing', async () => {
    const reader = new ClusterWorkerReader({ intervalMs: 60_000, transport: silent() });
    const provider = new MeterProvider({ readers: [reader] });
    const histogram = provider.getMeter('m').createHistogram('h');
    for (let i = 0; i < 500; i++) histogram.record(i / 100, { route: `/r/${i}` });
    const { resourceMetrics } = await reader.collect();
    const { reports } = encodeDeltas(resourceMetrics, 8192, 1, 'w');
    expect(reports.length).toBeGreaterThan(5);
    for (const r of reports) expect(JSON.stringify(r).length).toBeLessThanOrEqual(8192);
    expect(reports.map((r) => r.bytes)).toEqual(reports.map((r) => JSON.stringify(r).length));
    const { merged, data } = setup({ maxSeries: 1000 });
    for (const r of reports) merged.apply('w', JSON.parse(JSON.stringify(r)));
    const points = data('h')?.dataPoints ?? [];
    expect(points).toHaveLength(500);
    await provider.shutdown();
  });
});

function silent(): ReportTransport {
  return { source: 's', send: () => true, listen: () => () => undefined, close: () => undefined };
}
