import { performance } from 'node:perf_hooks';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_OPMETER_OVERFLOW,
  CUSTOM_TIMING_BUCKETS,
  CustomMetricError,
  CustomMetrics,
  type CustomMetricsConfig,
} from '../../instrumentations/custom/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

function setup(config: Omit<CustomMetricsConfig, 'meterProvider'> = {}) {
  const otel = createTestMeterProvider();
  const custom = new CustomMetrics({ meterProvider: otel.meterProvider, ...config });
  /** The value of `opmeter.input.adjusted` for `field` and `reason` (0 when never counted). */
  async function adjusted(field: string, reason: string): Promise<number> {
    const points = (await otel.metrics()).get('opmeter.input.adjusted')?.dataPoints ?? [];
    const found = points.find(
      (p) => p.attributes['opmeter.field'] === field && p.attributes['opmeter.reason'] === reason,
    );
    return (found?.value as number | undefined) ?? 0;
  }
  return { ...otel, custom, adjusted };
}

/** Keeps the thread busy for `ms` (a measurable block of code, not a sleep). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

afterEach(() => setRecordingEnabled(true));

describe('CustomMetrics', () => {
  it('records counters, up-down counters, gauges, timings and items with tags on OTel instruments', async () => {
    const { custom, metric, point } = setup();
    custom.increment('orders.created', 1, { channel: 'web' });
    custom.increment('orders.created', 2, { channel: 'web' });
    custom.increment('orders.created', undefined, { channel: 'shop' });
    custom.upDown('ws.clients', 3);
    custom.upDown('ws.clients', -1);
    custom.gauge('cache.hit_ratio', 0.25, { cache: 'users' });
    custom.gauge('cache.hit_ratio', 0.875, { cache: 'users' });
    custom.timing('report.render', 0.2, { report: 'daily' });
    custom.items('rows.imported', 500, { source: 'csv' });

    expect((await point('orders.created', { channel: 'web' })).value).toBe(3);
    expect((await point('orders.created', { channel: 'shop' })).value).toBe(1);
    expect((await point('ws.clients')).value).toBe(2);
    expect((await point('cache.hit_ratio', { cache: 'users' })).value).toBe(0.875);
    const timing = await point<Histogram>('report.render', { report: 'daily' });
    expect(timing.value.count).toBe(1);
    expect(timing.value.sum).toBeCloseTo(0.2, 10);
    expect(timing.value.buckets.boundaries).toEqual(CUSTOM_TIMING_BUCKETS);
    expect((await point('rows.imported', { source: 'csv' })).value).toBe(500);

    const expected: Record<string, [string, RegExp]> = {
      'orders.created': ['{count}', /^Custom counter orders\.created$/],
      'ws.clients': ['{count}', /up-down counter/],
      'cache.hit_ratio': ['{value}', /gauge/],
      'report.render': ['s', /timing/],
      'rows.imported': ['{item}', /items/],
    };
    for (const [name, [unit, description]] of Object.entries(expected)) {
      const { descriptor } = await metric(name);
      expect(descriptor.unit, name).toBe(unit);
      expect(descriptor.description, name).toMatch(description);
    }
  });

  it('applies definitions: unit, description and timing buckets', async () => {
    const { custom, metric, point } = setup({
      definitions: { 'queue.bytes': { kind: 'gauge', unit: 'By', description: 'Bytes queued' } },
    });
    custom.define('db.query', { kind: 'timing', description: 'Query time', buckets: [0.01, 0.1] });
    custom.gauge('queue.bytes', 2048);
    custom.timing('db.query', 0.05);
    expect((await metric('queue.bytes')).descriptor).toMatchObject({
      unit: 'By',
      description: 'Bytes queued',
    });
    const query = await point<Histogram>('db.query');
    expect(query.value.buckets.boundaries).toEqual([0.01, 0.1]);
    expect(query.value.buckets.counts).toEqual([0, 1, 0]);
    expect(() => custom.define('db.query', { kind: 'timing' })).toThrow(
      'custom metric "db.query" is already in use; call define() before its first measurement',
    );
    expect(() => custom.define('t', { kind: 'timing', unit: 'ms' })).toThrow(
      /timings are recorded in seconds; remove unit "ms"/,
    );
    expect(() => custom.define('g', { kind: 'gauge', buckets: [1] })).toThrow(
      /buckets apply to timings only/,
    );
    expect(() => custom.define('h', { kind: 'histogram' as 'timing' })).toThrow(
      /kind "histogram" is not one of counter, upDownCounter, gauge, timing, items, observed/,
    );
  });

  it('times a block with timer(), with `using`, and sync and async functions with time()', async () => {
    const { custom, point } = setup();
    const stop = custom.timer('block', { step: 'explicit' });
    busy(20);
    const seconds = stop();
    expect(seconds).toBeGreaterThanOrEqual(0.019);
    expect(stop()).toBe(seconds);
    {
      using _timer = custom.timer('block', { step: 'using' });
      busy(10);
    }
    const syncWork = () => {
      busy(5);
      return 'sync';
    };
    expect(custom.time('block', syncWork, { step: 'sync' })).toBe('sync');
    const asyncResult = await custom.time(
      'block',
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        busy(5);
        return 'async';
      },
      { step: 'async' },
    );
    expect(asyncResult).toBe('async');
    const failure = new Error('render failed');
    await expect(
      custom.time('block', async () => Promise.reject(failure), { step: 'rejected' }),
    ).rejects.toBe(failure);
    expect(() =>
      custom.time('block', () => {
        throw failure;
      }),
    ).toThrow(failure);

    const explicit = await point<Histogram>('block', { step: 'explicit' });
    expect(explicit.value.count).toBe(1);
    expect(explicit.value.sum).toBe(seconds);
    expect((await point<Histogram>('block', { step: 'using' })).value.min).toBeGreaterThanOrEqual(
      0.009,
    );
    expect((await point<Histogram>('block', { step: 'sync' })).value.sum).toBeGreaterThan(0.004);
    expect((await point<Histogram>('block', { step: 'async' })).value.sum).toBeGreaterThan(0.004);
    expect((await point<Histogram>('block', { step: 'rejected' })).value.count).toBe(1);
    expect(
      (await point('opmeter.input.adjusted', { 'opmeter.reason': 'already_ended' })).value,
    ).toBe(1);
  });

  it('exposes a bounded JSON snapshot with figures per tag set, and reset() clears it', async () => {
    const { custom, point } = setup();
    custom.increment('events.received', 4, { type: 'renamed' });
    custom.upDown('connections', 2);
    for (const value of [3, 9, 6]) custom.gauge('queue.depth', value);
    for (const seconds of [0.1, 0.2, 0.3, 0.4]) custom.timing('handler', seconds);
    custom.items('rows', 90);
    custom.observe('pool.size', () => 7);

    const snap = custom.snapshot();
    expect(snap.enabled).toBe(true);
    expect(snap.counters['events.received']).toEqual([{ tags: { type: 'renamed' }, value: 4 }]);
    expect(snap.upDownCounters.connections).toEqual([{ tags: {}, value: 2 }]);
    expect(snap.gauges['queue.depth']).toEqual([
      { tags: {}, value: 6, min: 3, max: 9, mean: 6, samples: 3 },
    ]);
    const handler = snap.timings.handler?.[0];
    expect(handler).toMatchObject({ count: 4, minSeconds: 0.1, maxSeconds: 0.4 });
    expect(handler?.totalSeconds).toBeCloseTo(1, 10);
    expect(handler?.meanSeconds).toBeCloseTo(0.25, 10);
    expect(handler?.p50Seconds).toBeCloseTo(0.2, 2);
    expect(handler?.p99Seconds).toBeCloseTo(0.3, 2);
    const rows = snap.items.rows?.[0];
    expect(rows?.value).toBe(90);
    expect(rows?.perSecond).toBeCloseTo(90 / snap.sinceSeconds, 0);
    expect(snap.observed['pool.size']).toEqual([{ tags: {}, value: 7 }]);
    expect(JSON.parse(JSON.stringify(custom))).toMatchObject({
      counters: snap.counters,
      gauges: snap.gauges,
    });

    custom.reset();
    const after = custom.snapshot();
    expect(after.counters['events.received']).toEqual([]);
    expect(after.timings.handler).toEqual([]);
    expect(after.sinceSeconds).toBeLessThan(snap.sinceSeconds + 1);
    expect((await point('events.received')).value).toBe(4);
    custom.increment('events.received', 1, { type: 'renamed' });
    expect(custom.snapshot().counters['events.received']).toEqual([
      { tags: { type: 'renamed' }, value: 1 },
    ]);
  });

  it('caps tag sets per metric: the rest share one overflow series in OTel and the snapshot', async () => {
    const { custom, metric, adjusted } = setup({ maxSeriesPerMetric: 3 });
    for (let user = 0; user < 10; user++) custom.increment('logins', 1, { user: `u${user}` });
    const series = custom.snapshot().counters.logins ?? [];
    expect(series).toHaveLength(4);
    expect(series[3]).toEqual({ tags: { [ATTR_OPMETER_OVERFLOW]: true }, value: 7 });
    const points = (await metric('logins')).dataPoints;
    expect(points).toHaveLength(4);
    expect(points.find((p) => p.attributes[ATTR_OPMETER_OVERFLOW] === true)?.value).toBe(7);
    expect(await adjusted('logins', 'series_overflow')).toBe(7);
  });

  it('keeps the bound across reset(): a tag set admitted once stays, a new one still overflows', async () => {
    const { custom, metric } = setup({ maxSeriesPerMetric: 2 });
    for (let round = 0; round < 5; round++) {
      custom.increment('logins', 1, { user: `a${round}` });
      custom.increment('logins', 1, { user: `b${round}` });
      custom.reset();
    }
    const points = (await metric('logins')).dataPoints;
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ user: 'a0' }, 1],
      [{ user: 'b0' }, 1],
      [{ [ATTR_OPMETER_OVERFLOW]: true }, 8],
    ]);
    custom.increment('logins', 5, { user: 'b0' });
    expect(custom.snapshot().counters.logins).toEqual([{ tags: { user: 'b0' }, value: 5 }]);
  });

  it('hands out snapshot tags the caller may change without touching what OTel exports', async () => {
    const { custom, point } = setup();
    custom.increment('orders', 1, { region: 'eu' });
    custom.observe('queue.depth', () => [{ value: 3, tags: { queue: 'main' } }]);
    const snap = custom.snapshot();
    (snap.counters.orders?.[0]?.tags as Record<string, string>).region = 'changed';
    (snap.observed['queue.depth']?.[0]?.tags as Record<string, string>).queue = 'changed';
    expect((await point('orders', { region: 'eu' })).value).toBe(1);
    expect((await point('queue.depth', { queue: 'main' })).value).toBe(3);
    expect(custom.snapshot().counters.orders).toEqual([{ tags: { region: 'eu' }, value: 1 }]);
  });

  it('caps the number of metric names, dropping and counting further names', async () => {
    const { custom, metrics, adjusted } = setup({ maxMetrics: 2 });
    custom.increment('a');
    custom.gauge('b', 1);
    custom.increment('c');
    custom.increment('a');
    expect((await metrics()).has('c')).toBe(false);
    expect(await adjusted('c', 'too_many_metrics')).toBe(1);
    expect(custom.snapshot().counters.a).toEqual([{ tags: {}, value: 2 }]);
  });

  it('rejects bad names and kind changes with a precise message', () => {
    const { custom } = setup();
    expect(() => custom.define('x.v', { kind: 'counter', unitt: 's' } as never)).toThrow(
      `custom metric "x.v": the definition has an unknown key 'unitt': allowed keys are kind, unit, description, buckets`,
    );
    expect(() => custom.increment('orders total')).toThrow(CustomMetricError);
    expect(() => custom.increment('orders total')).toThrow(
      'custom metric name "orders total" has " " at index 6; OTel instrument names allow only ' +
        'letters, digits, "_", ".", "-" and "/" (e.g. "orders.total")',
    );
    expect(() => custom.gauge('9lives', 1)).toThrow(
      'custom metric name "9lives" starts with "9"; OTel instrument names start with a letter',
    );
    expect(() => custom.timing('', 1)).toThrow(/is not a non-empty string/);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const hostile of [
      10n,
      revoked.proxy,
      {
        toString() {
          throw new Error('unprintable');
        },
      },
    ]) {
      expect(() => custom.increment(hostile as never)).toThrow(CustomMetricError);
    }
    expect(() => custom.items('x'.repeat(256), 1)).toThrow(
      /is 256 characters long; the OTel limit is 255/,
    );
    custom.gauge('queue.depth', 1);
    expect(() => custom.increment('queue.depth')).toThrow(
      'custom metric "queue.depth" is a gauge; it cannot also be used as a counter',
    );
    expect(() => custom.observe('queue.depth', () => 1)).toThrow(
      /is a gauge; it cannot also be used as an observed gauge/,
    );
    custom.observe('pool.size', () => 1);
    expect(() => custom.timer('pool.size')).toThrow(
      /is an observed gauge; it cannot also be used as a timing/,
    );
  });

  it('fixes or skips bad values and counts them instead of throwing', async () => {
    const { custom, point, adjusted } = setup();
    custom.increment('jobs', -5);
    custom.increment('jobs', Number.NaN);
    custom.timing('latency', Number.POSITIVE_INFINITY);
    custom.gauge('temperature', 20);
    custom.gauge('temperature', Number.NaN);
    custom.upDown('inflight', Number.NEGATIVE_INFINITY);
    custom.increment('tagged', 1, {
      region: 'x'.repeat(300),
      shard: { id: 3 } as unknown as string,
      retry: true,
      attempt: 2,
      skipped: undefined,
    });
    expect((await point('jobs')).value).toBe(0);
    expect((await point<Histogram>('latency')).value.sum).toBe(0);
    expect((await point('temperature')).value).toBe(20);
    expect(custom.snapshot().upDownCounters.inflight).toEqual([]);
    expect(await adjusted('jobs', 'negative')).toBe(1);
    expect(await adjusted('jobs', 'not_finite')).toBe(1);
    expect(await adjusted('latency', 'not_finite')).toBe(1);
    expect(await adjusted('temperature', 'not_finite')).toBe(1);
    expect(await adjusted('inflight', 'not_finite')).toBe(1);
    const tagged = await point('tagged');
    expect(tagged.attributes).toEqual({
      region: 'x'.repeat(256),
      shard: '[object Object]',
      retry: true,
      attempt: 2,
    });
    expect(await adjusted('region', 'truncated')).toBe(1);
    expect(await adjusted('shard', 'not_a_string')).toBe(1);
  });

  it('observes gauges at collection time, unregisters them, and counts a read that throws', async () => {
    const { custom, metric, point, adjusted } = setup();
    let depth = 3;
    custom.observe('queue.depth', () => depth, {
      unit: '{message}',
      description: 'Messages waiting',
    });
    const unregister = custom.observe('queue.depth', () => [
      { value: 1, tags: { queue: 'dead' } },
      { value: Number.NaN, tags: { queue: 'broken' } },
    ]);
    custom.observe('connections', () => {
      throw new Error('pool closed');
    });
    expect((await metric('queue.depth')).descriptor).toMatchObject({
      unit: '{message}',
      description: 'Messages waiting',
    });
    expect((await point('queue.depth', {})).value).toBe(3);
    depth = 8;
    expect((await point('queue.depth', {})).value).toBe(8);
    expect((await point('queue.depth', { queue: 'dead' })).value).toBe(1);
    expect(await adjusted('queue.depth', 'not_finite')).toBeGreaterThan(0);
    expect(
      (await point('opmeter.internal.errors', { 'opmeter.domain': 'custom' })).value,
    ).toBeGreaterThan(0);
    unregister();
    expect(custom.snapshot().observed['queue.depth']).toEqual([{ tags: {}, value: 8 }]);
  });

  it('skips a read whose result is not a number or an array, or cannot be read, and never throws', async () => {
    const { custom, metrics, point } = setup();
    custom.observe('bad.object', () => ({}) as never);
    custom.observe('bad.null', () => null as never);
    custom.observe('bad.getter', () => [
      { value: 1, tags: { kept: 'no' } },
      {
        get value(): number {
          throw new Error('unreadable value');
        },
      },
    ]);
    custom.observe('good', () => 2);
    const snap = custom.snapshot();
    expect(snap.observed['bad.object']).toEqual([]);
    expect(snap.observed['bad.null']).toEqual([]);
    expect(snap.observed['bad.getter']).toEqual([]);
    expect(snap.observed.good).toEqual([{ tags: {}, value: 2 }]);
    expect((await metrics()).get('bad.getter')?.dataPoints ?? []).toEqual([]);
    // three bad reads, each counted once by the snapshot, by metrics() and by point()'s collection
    expect((await point('opmeter.internal.errors', { 'opmeter.domain': 'custom' })).value).toBe(9);
  });

  it('reports a tag set observed twice once, with its last value, as OTel does', async () => {
    const { custom, metric } = setup();
    custom.observe('pool.size', () => [
      { value: 1, tags: { pool: 'a', zone: 'x' } },
      { value: 5, tags: { pool: 'b' } },
      { value: 2, tags: { zone: 'x', pool: 'a' } },
    ]);
    const points = (await metric('pool.size')).dataPoints;
    const snapshot = custom.snapshot().observed['pool.size'];
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ pool: 'a', zone: 'x' }, 2],
      [{ pool: 'b' }, 5],
    ]);
    expect(snapshot).toEqual([
      { tags: { pool: 'a', zone: 'x' }, value: 2 },
      { tags: { pool: 'b' }, value: 5 },
    ]);
  });

  it('records nothing while switched off (its own switch or the process-wide one)', async () => {
    const { custom, metrics } = setup({ enabled: false });
    expect(custom.enabled).toBe(false);
    custom.increment('off.count');
    custom.gauge('off.gauge', 1);
    expect(custom.time('off.timing', () => 42)).toBe(42);
    expect(custom.timer('off.timing')()).toBe(0);
    let reads = 0;
    custom.observe('off.observed', () => ++reads);
    const collected = await metrics();
    expect(collected.has('off.count')).toBe(false);
    expect(collected.has('off.timing')).toBe(false);
    expect(collected.get('off.observed')?.dataPoints ?? []).toHaveLength(0);
    expect(reads).toBe(0);
    const snap = custom.snapshot();
    expect(snap.enabled).toBe(false);
    expect(snap.counters).toEqual({});
    expect(snap.timings).toEqual({});
    expect(snap.observed).toEqual({ 'off.observed': [] });

    custom.enable();
    setRecordingEnabled(false);
    expect(custom.enabled).toBe(false);
    custom.increment('off.count');
    expect((await metrics()).has('off.count')).toBe(false);
    setRecordingEnabled(true);
    custom.increment('off.count');
    expect(custom.snapshot().counters['off.count']).toEqual([{ tags: {}, value: 1 }]);
  });
});
