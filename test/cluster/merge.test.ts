import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType, MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { DeltaEncoder } from '../../src/cluster/encoder.js';
import { type GaugePolicy, MergedMetrics } from '../../src/cluster/merge.js';
import {
  ATTR_CLUSTER_WORKER,
  ATTR_METRIC_OVERFLOW,
  REASON_BOUNDARIES,
  REASON_CONFLICT,
  REASON_MALFORMED,
  REASON_OVERFLOW,
  REASON_UNKNOWN,
} from '../../src/cluster/semconv.js';
import { answerTo, type DeltaMessage } from '../../src/cluster/wire.js';
import { ClusterWorkerReader, type ReportTransport } from '../../src/cluster/worker-reader.js';
import { metric, report } from './reports.js';

const RESOURCE = resourceFromAttributes({ 'service.name': 'merge-test' });

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

  it('keeps metrics apart whose scope and name only meet when joined (a NUL in a name)', () => {
    const { merged } = setup();
    const counter = (scope: string, name: string, v: number) => ({
      ...metric('counter', [{ a: {}, v }], name),
      scope,
    });
    merged.apply('a', report([counter('a\u0000b', 'c', 2), counter('a', 'b\u0000c', 5)]));
    const seen = merged
      .snapshot(RESOURCE)
      .scopeMetrics.map((s) => [s.scope.name, s.metrics.map((m) => m.dataPoints[0]?.value)]);
    expect(seen).toEqual([
      ['a\u0000b', [2]],
      ['a', [5]],
    ]);
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
    const points = (c: number[], s: number) => ({
      ...metric('histogram', [{ a: {}, c, s }]),
      bounds: [1, 5],
    });
    merged.apply('a', report([points([1, 2, 0], 6)]));
    merged.apply('b', report([points([0, 1, 4], 40)]));
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
    const histogram = (c: number[], bounds: number[]) => ({
      ...metric('histogram', [{ a: {}, c, s: 9 }]),
      bounds,
    });
    merged.apply('a', report([histogram([1, 0, 0], [1, 5])]));
    merged.apply('b', report([histogram([9, 9, 9], [1, 6])]));
    merged.apply('c', report([histogram([9, 9], [1, 5])]));
    expect(refused.get(REASON_BOUNDARIES)).toBe(1);
    expect(refused.get(REASON_MALFORMED)).toBe(1);
    expect(data()?.dataPoints[0]?.value).toMatchObject({ count: 1 });
  });

  it('refuses a metric that arrives with another kind or unit, and malformed reports', () => {
    const { merged, values, refused } = setup();
    merged.apply('a', report([metric('counter', [{ a: {}, v: 1 }])]));
    merged.apply('b', report([metric('gauge', [{ a: {}, v: 7 }])]));
    merged.apply('b', report([{ ...metric('counter', [{ a: {}, v: 7 }]), unit: 's' }]));
    expect(
      merged.apply('b', { type: 'opmeter.cluster.delta', v: 1, seq: 1, epoch: 1, metrics: [] }),
    ).toBe('malformed');
    expect(merged.apply('b', 'garbage')).toBe('malformed');
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

describe('ClusterWorkerReader and DeltaEncoder', () => {
  it('sends deltas, not cumulatives, and an empty report when nothing changed', async () => {
    const { sent, reader, provider } = recording(setup().merged);
    const counter = provider.getMeter('m').createCounter('c');
    counter.add(5);
    await reader.report();
    counter.add(2);
    await reader.report();
    await reader.report();
    // Each point is its series id step and its value.
    expect(sent.map((m) => m.metrics.map((x) => x.p.filter((_, i) => i % 2 === 1)))).toEqual([
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
    const { reports } = new DeltaEncoder('w', 4096, 2000).encode(resourceMetrics, 1);
    expect(reports.length).toBeGreaterThan(5);
    for (const r of reports) expect(JSON.stringify(r).length).toBeLessThanOrEqual(4096);
    expect(reports.map((r) => r.bytes)).toEqual(reports.map((r) => JSON.stringify(r).length));
    const { merged, data } = setup({ maxSeries: 1000 });
    for (const r of reports) merged.apply('w', JSON.parse(JSON.stringify(r)));
    const points = data('h')?.dataPoints ?? [];
    expect(points).toHaveLength(500);
    await provider.shutdown();
  });

  it('describes metrics and series until the primary acknowledges them: later intervals carry ids and changed values only', async () => {
    const { merged, data } = setup();
    const { sent, reader, provider } = recording(merged);
    const histogram = provider.getMeter('m').createHistogram('h', {
      advice: { explicitBucketBoundaries: [1, 10] },
    });
    const routes = Array.from({ length: 50 }, (_, i) => ({ route: `/orders/${i}` }));
    for (const route of routes) histogram.record(5, { ...route });
    await reader.report();
    for (const route of routes.slice(10, 13)) histogram.record(20, { ...route });
    await reader.report();
    const [first, second] = sent;
    expect(first?.metrics[0]?.d).toMatchObject({ name: 'h', kind: 'histogram', bounds: [1, 10] });
    expect(first?.metrics[0]?.s).toHaveLength(50);
    // Three points: id 10 (as is), then steps of 1; each with its sum and bucket counts.
    expect(second?.metrics).toEqual([
      { m: 0, p: [10, 20, 0, 0, 1, 1, 20, 0, 0, 1, 1, 20, 0, 0, 1] },
    ]);
    expect(second?.bytes).toBeLessThan((first?.bytes ?? 0) / 10);
    const points = data('h')?.dataPoints ?? [];
    expect(points).toHaveLength(50);
    expect(points[11]).toMatchObject({
      attributes: { route: '/orders/11' },
      value: { buckets: { counts: [0, 1, 1] }, sum: 25, count: 2 },
    });
    await provider.shutdown();
  });

  it('until acknowledged every report describes what it refers to, and a report the primary never saw is carried by the next', async () => {
    const late = setup();
    let delivered = 0;
    // The first report (with the descriptions) never reaches the primary, nor is answered.
    const { sent, reader, provider } = recording(late.merged, () => delivered++ > 0);
    const counter = provider.getMeter('m').createCounter('jobs');
    for (const n of [1, 2, 4, 8]) {
      counter.add(n, { queue: 'a' });
      await reader.report();
    }
    expect(sent.map((m) => m.metrics[0]?.d?.name)).toEqual(['jobs', 'jobs', undefined, undefined]);
    // Report 2 carried its own 2; its answer told the worker report 1 was lost, so 3 carried 1 + 4.
    expect(sent.map((m) => m.metrics[0]?.p[1])).toEqual([1, 2, 5, 8]);
    expect(late.values()).toEqual([[{ queue: 'a' }, 15]]);
    expect(late.refused.get(REASON_UNKNOWN)).toBeUndefined();
    await provider.shutdown();
  });

  it('a gauge value given back never replaces a newer one the series holds or has sent', async () => {
    // 5 is lost, 7 merged: the answer to 7 gives 5 back, which must not be sent again over 7.
    const late = setup();
    let delivered = 0;
    const first = recording(late.merged, () => delivered++ > 0);
    const level = first.provider.getMeter('m').createGauge('jobs');
    level.record(5);
    await first.reader.report();
    level.record(7);
    await first.reader.report();
    await first.reader.flush();
    expect(first.sent.map((m) => m.metrics[0]?.p[1])).toEqual([5, 7, undefined]);
    expect(late.values()).toEqual([[{}, 7]]);
    await first.provider.shutdown();

    // 5 and 7 both lost: the answer to a later report gives both back, and 7 (the newer) is sent.
    const lost = setup();
    let seen = 0;
    const second = recording(lost.merged, () => seen++ > 1);
    const gauge = second.provider.getMeter('m').createGauge('jobs');
    gauge.record(5);
    await second.reader.report();
    gauge.record(7);
    await second.reader.report();
    await second.reader.flush();
    expect(second.sent.map((m) => m.metrics[0]?.p[1])).toEqual([5, 7, undefined, 7]);
    expect(lost.values()).toEqual([[{}, 7]]);
    await second.provider.shutdown();
  });

  it('a primary that lost the ids refuses the report whole and the worker sends it again in a new epoch', async () => {
    const first = setup();
    let primary = first.merged;
    const { sent, reader, provider } = recording({ apply: (s, m) => primary.apply(s, m) });
    const counter = provider.getMeter('m').createCounter('jobs');
    counter.add(1, { queue: 'a' });
    counter.add(1, { queue: 'b' });
    await reader.report();
    counter.add(1, { queue: 'a' });
    await reader.report();
    expect(first.values()).toEqual([
      [{ queue: 'a' }, 2],
      [{ queue: 'b' }, 1],
    ]);
    // The primary restarts: the next report's ids mean nothing to it.
    const restarted = setup();
    primary = restarted.merged;
    counter.add(3, { queue: 'a' });
    counter.add(5, { queue: 'b' });
    await reader.report();
    expect(restarted.values()).toEqual([]);
    expect(restarted.refused.get(REASON_UNKNOWN)).toBe(2);
    counter.add(7, { queue: 'b' });
    await reader.report();
    const [, , refused, again] = sent;
    expect(again?.epoch).not.toBe(refused?.epoch);
    expect(again?.metrics[0]?.d?.name).toBe('jobs');
    expect(restarted.values()).toEqual([
      [{ queue: 'a' }, 3],
      [{ queue: 'b' }, 12],
    ]);
    expect(restarted.refused.get(REASON_UNKNOWN)).toBe(2);
    await provider.shutdown();
  });

  it('starts a new epoch when a metric numbered more than twice the cardinality limit (attribute churn)', async () => {
    const encoder = new DeltaEncoder('w', 1 << 20, 5);
    const reader = new ClusterWorkerReader({ intervalMs: 60_000, transport: silent() });
    const provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter('m').createCounter('jobs');
    const epochs = new Set<number>();
    for (let interval = 0; interval < 4; interval++) {
      for (let i = 0; i < 5; i++) counter.add(1, { id: `${interval}-${i}` });
      const { resourceMetrics } = await reader.collect();
      epochs.add(encoder.encode(resourceMetrics, interval + 1).reports[0]?.epoch ?? -1);
    }
    // 5 new series per interval: the third interval passes 11 and the fourth starts an epoch.
    expect(epochs.size).toBe(2);
    await provider.shutdown();
  });
});

/** A transport whose reports go nowhere, each answered as merged. */
function silent(): ReportTransport {
  let answer: (message: unknown) => void = () => undefined;
  return {
    source: 's',
    send: (message) => {
      answer(answerTo(message as DeltaMessage));
      return true;
    },
    listen: (listener) => {
      answer = listener;
      return () => undefined;
    },
    close: () => undefined,
  };
}

/**
 * A provider whose reader reports into `sent`, as worker `test`; with `primary`, each report
 * `deliver` lets through (all by default) is merged there and answered as a primary answers it.
 */
function recording(
  primary?: Pick<MergedMetrics, 'apply'>,
  deliver: (message: DeltaMessage) => boolean = () => true,
) {
  const sent: DeltaMessage[] = [];
  let answer: (message: unknown) => void = () => undefined;
  const transport: ReportTransport = {
    source: 'test',
    send: (message) => {
      const report = message as DeltaMessage;
      sent.push(report);
      if (primary === undefined || !deliver(report)) return true;
      const result = primary.apply('test', JSON.parse(JSON.stringify(report)));
      if (result !== 'malformed') {
        answer(answerTo(report, result === 'unknown' ? REASON_UNKNOWN : undefined));
      }
      return true;
    },
    listen: (listener) => {
      answer = listener;
      return () => undefined;
    },
    close: () => undefined,
  };
  const reader = new ClusterWorkerReader({ intervalMs: 60_000, transport });
  return { sent, reader, provider: new MeterProvider({ readers: [reader] }) };
}
