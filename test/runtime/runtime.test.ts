import { PerformanceObserver, performance } from 'node:perf_hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_CPU_MODE,
  ATTR_NODEJS_EVENTLOOP_STATE,
  ATTR_V8JS_GC_TYPE,
  ATTR_V8JS_HEAP_SPACE_NAME,
  GC_DURATION_BUCKETS,
  METRIC_NODEJS_EVENTLOOP_DELAY_MAX,
  METRIC_NODEJS_EVENTLOOP_DELAY_MEAN,
  METRIC_NODEJS_EVENTLOOP_DELAY_MIN,
  METRIC_NODEJS_EVENTLOOP_DELAY_P50,
  METRIC_NODEJS_EVENTLOOP_DELAY_P90,
  METRIC_NODEJS_EVENTLOOP_DELAY_P99,
  METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV,
  METRIC_NODEJS_EVENTLOOP_TIME,
  METRIC_NODEJS_EVENTLOOP_UTILIZATION,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_V8JS_GC_DURATION,
  METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
  METRIC_V8JS_MEMORY_HEAP_USED,
  RuntimeInstrumentation,
  V8JS_GC_TYPE_VALUE_INCREMENTAL,
  V8JS_GC_TYPE_VALUE_MAJOR,
  V8JS_GC_TYPE_VALUE_MINOR,
  V8JS_GC_TYPE_VALUE_WEAKCB,
} from '../../instrumentations/runtime/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider, TestMetricReader } from '../support/metric-reader.js';

const DELAY_METRICS = [
  METRIC_NODEJS_EVENTLOOP_DELAY_P50,
  METRIC_NODEJS_EVENTLOOP_DELAY_P90,
  METRIC_NODEJS_EVENTLOOP_DELAY_P99,
  METRIC_NODEJS_EVENTLOOP_DELAY_MIN,
  METRIC_NODEJS_EVENTLOOP_DELAY_MAX,
  METRIC_NODEJS_EVENTLOOP_DELAY_MEAN,
  METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV,
];
const OBSERVED_METRICS = [
  ...DELAY_METRICS,
  METRIC_NODEJS_EVENTLOOP_UTILIZATION,
  METRIC_NODEJS_EVENTLOOP_TIME,
  METRIC_V8JS_MEMORY_HEAP_USED,
  METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_CPU_UTILIZATION,
];
const UNITS: Record<string, string> = {
  ...Object.fromEntries(DELAY_METRICS.map((name) => [name, 's'])),
  [METRIC_NODEJS_EVENTLOOP_UTILIZATION]: '1',
  [METRIC_NODEJS_EVENTLOOP_TIME]: 's',
  [METRIC_V8JS_GC_DURATION]: 's',
  [METRIC_V8JS_MEMORY_HEAP_USED]: 'By',
  [METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE]: 'By',
  [METRIC_PROCESS_MEMORY_USAGE]: 'By',
  [METRIC_PROCESS_CPU_TIME]: 's',
  [METRIC_PROCESS_CPU_UTILIZATION]: '1',
};
const GC_TYPES = [
  V8JS_GC_TYPE_VALUE_MAJOR,
  V8JS_GC_TYPE_VALUE_MINOR,
  V8JS_GC_TYPE_VALUE_INCREMENTAL,
  V8JS_GC_TYPE_VALUE_WEAKCB,
];

const instances: RuntimeInstrumentation[] = [];
afterEach(() => {
  setRecordingEnabled(true);
  for (const runtime of instances.splice(0)) runtime.disable();
});

function setup(config: ConstructorParameters<typeof RuntimeInstrumentation>[0] = {}) {
  const otel = createTestMeterProvider();
  const runtime = new RuntimeInstrumentation({ meterProvider: otel.meterProvider, ...config });
  instances.push(runtime);
  /** Data points of `name` in one collection ([] when the metric is absent). */
  async function points<T = number>(name: string): Promise<DataPoint<T>[]> {
    return ((await otel.metrics()).get(name)?.dataPoints ?? []) as DataPoint<T>[];
  }
  return { ...otel, runtime, points };
}

/** Keeps the event loop busy for `ms` (a deliberate block, not a sleep). */
function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Allocates and drops short-lived garbage, enough for V8 to run young-generation GCs. */
function allocationBurst(): number {
  let kept = 0;
  for (let round = 0; round < 20; round++) {
    const garbage: { index: number; text: string }[] = [];
    for (let i = 0; i < 20_000; i++) garbage.push({ index: i, text: `item-${i}` });
    kept += garbage.length;
  }
  return kept;
}

/** Polls `check` every few milliseconds until it returns a value or `deadlineMs` passes. */
async function poll<T>(check: () => Promise<T | undefined>, deadlineMs = 5000): Promise<T> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Attributes and values of every observable runtime metric in one collection. */
async function observedValues(
  metrics: () => Promise<Map<string, MetricData>>,
): Promise<Record<string, unknown>> {
  const collected = await metrics();
  const out: Record<string, unknown> = {};
  for (const name of OBSERVED_METRICS) {
    const data = collected.get(name);
    if (data !== undefined) {
      out[name] = data.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value }));
    }
  }
  return out;
}

function sum(points: DataPoint<number>[]): number {
  return points.reduce((total, p) => total + p.value, 0);
}

describe('RuntimeInstrumentation', () => {
  it('reports event-loop delay after a forced block, with units and descriptions', async () => {
    const { metrics, points } = setup();
    // A collection right before the block resets the window: the stall must still be reported.
    await points(METRIC_NODEJS_EVENTLOOP_DELAY_MAX);
    blockEventLoop(80);
    const collected = await poll(async () => {
      const all = await metrics();
      const max = all.get(METRIC_NODEJS_EVENTLOOP_DELAY_MAX)?.dataPoints[0]?.value as
        | number
        | undefined;
      return max !== undefined && max >= 0.05 ? all : undefined;
    });
    for (const name of OBSERVED_METRICS) {
      const metric = collected.get(name);
      expect(metric, name).toBeDefined();
      expect(metric?.descriptor.unit, name).toBe(UNITS[name]);
      expect(metric?.descriptor.description.length, name).toBeGreaterThan(15);
    }
    const value = (name: string) => collected.get(name)?.dataPoints[0]?.value as number;
    const [p50, p90, p99] = [
      value(METRIC_NODEJS_EVENTLOOP_DELAY_P50),
      value(METRIC_NODEJS_EVENTLOOP_DELAY_P90),
      value(METRIC_NODEJS_EVENTLOOP_DELAY_P99),
    ];
    const [min, max] = [
      value(METRIC_NODEJS_EVENTLOOP_DELAY_MIN),
      value(METRIC_NODEJS_EVENTLOOP_DELAY_MAX),
    ];
    expect(min).toBeGreaterThan(0);
    expect(p50).toBeGreaterThanOrEqual(min);
    expect(p90).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeGreaterThanOrEqual(p90);
    expect(max).toBeGreaterThanOrEqual(p99);
    expect(max).toBeLessThan(5);
    // Each collection reports its own window: once the loop ticks freely again, a later window
    // no longer contains the stall (a window without ticks keeps the last value, as gauges do).
    const next = await poll(async () => {
      const value = (await points(METRIC_NODEJS_EVENTLOOP_DELAY_MAX))[0]?.value;
      return value !== undefined && value < 0.05 ? value : undefined;
    });
    expect(next).toBeGreaterThan(0);
  });

  it('reports event-loop utilization and CPU after busy work, and memory readings', async () => {
    const { points } = setup();
    await points(METRIC_NODEJS_EVENTLOOP_UTILIZATION); // start a fresh interval
    blockEventLoop(60);
    const utilization = await points(METRIC_NODEJS_EVENTLOOP_UTILIZATION);
    expect(utilization).toHaveLength(1);
    expect(utilization[0]?.value).toBeGreaterThan(0.5);
    expect(utilization[0]?.value).toBeLessThanOrEqual(1);
    const loopTime = await points(METRIC_NODEJS_EVENTLOOP_TIME);
    const active = loopTime.find((p) => p.attributes[ATTR_NODEJS_EVENTLOOP_STATE] === 'active');
    expect(active?.value).toBeGreaterThan(0.05);

    blockEventLoop(60);
    const cpu = await points(METRIC_PROCESS_CPU_UTILIZATION);
    const user = cpu.find((p) => p.attributes[ATTR_CPU_MODE] === 'user');
    expect(user?.value).toBeGreaterThan(0);
    expect(sum(cpu)).toBeLessThanOrEqual(1);
    const cpuTime = await points(METRIC_PROCESS_CPU_TIME);
    expect(cpuTime.map((p) => p.attributes[ATTR_CPU_MODE]).sort()).toEqual(['system', 'user']);
    expect(cpuTime.find((p) => p.attributes[ATTR_CPU_MODE] === 'user')?.value).toBeGreaterThan(
      0.05,
    );

    const rss = await points(METRIC_PROCESS_MEMORY_USAGE);
    expect(rss[0]?.value).toBeGreaterThan(20 * 1024 * 1024);
    const used = await points(METRIC_V8JS_MEMORY_HEAP_USED);
    const reserved = await points(METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE);
    const spaces = used.map((p) => p.attributes[ATTR_V8JS_HEAP_SPACE_NAME]);
    expect(spaces).toContain('old_space');
    expect(spaces).toContain('new_space');
    expect(sum(used)).toBeGreaterThan(1024 * 1024);
    expect(sum(used)).toBeLessThanOrEqual(sum(reserved));
    expect(sum(reserved)).toBeLessThan(rss[0]?.value ?? 0);
  });

  it('records GC pauses by kind after an allocation burst, without --expose-gc', async () => {
    const { point, metric } = setup();
    const gc = await poll(async () => {
      allocationBurst();
      const found = await point<Histogram>(METRIC_V8JS_GC_DURATION).catch(() => undefined);
      return found !== undefined && found.value.count > 0 ? found : undefined;
    });
    const descriptor = (await metric(METRIC_V8JS_GC_DURATION)).descriptor;
    expect(descriptor.unit).toBe(UNITS[METRIC_V8JS_GC_DURATION]);
    expect(descriptor.description).toMatch(/garbage-collection/i);
    expect(GC_TYPES).toContain(gc.attributes[ATTR_V8JS_GC_TYPE]);
    expect(gc.value.sum).toBeGreaterThan(0);
    expect(gc.value.max).toBeLessThan(1);
    expect(gc.value.buckets.boundaries).toEqual(GC_DURATION_BUCKETS);
  });

  it('disable() removes every callback and stops the GC observer; enable() restarts', async () => {
    const { runtime, metrics, points, point } = setup();
    await poll(async () => {
      allocationBurst();
      return (await points<Histogram>(METRIC_V8JS_GC_DURATION)).length > 0 ? true : undefined;
    });
    runtime.disable();
    expect(runtime.isEnabled).toBe(false);
    const gcCount = async () =>
      (await points<Histogram>(METRIC_V8JS_GC_DURATION)).reduce((n, p) => n + p.value.count, 0);
    const before = await gcCount();
    // Prove that GCs do happen while disabled, with an observer of the test's own.
    let seen = 0;
    const witness = new PerformanceObserver((list) => {
      seen += list.getEntries().length;
    });
    witness.observe({ entryTypes: ['gc'] });
    try {
      await poll(async () => {
        allocationBurst();
        return seen > 0 ? true : undefined;
      });
    } finally {
      witness.disconnect();
    }
    expect(await gcCount()).toBe(before);
    // Cumulative readers keep exporting the last observation; no callback runs any more, so
    // the values stay frozen even though CPU time, heap and loop time have all moved on.
    const frozen = await observedValues(metrics);
    expect(Object.keys(frozen)).toContain(METRIC_PROCESS_CPU_TIME);
    blockEventLoop(30);
    allocationBurst();
    expect(await observedValues(metrics)).toEqual(frozen);

    runtime.enable();
    expect(runtime.isEnabled).toBe(true);
    expect((await point(METRIC_PROCESS_MEMORY_USAGE)).value).toBeGreaterThan(0);
  });

  it('reports nothing to a delta reader once disabled', async () => {
    const reader = new TestMetricReader({
      aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
    });
    const runtime = new RuntimeInstrumentation({
      meterProvider: new MeterProvider({ readers: [reader] }),
      gc: false,
    });
    instances.push(runtime);
    const pointCount = async () => {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .reduce((n, m) => n + m.dataPoints.length, 0);
    };
    expect(await pointCount()).toBeGreaterThan(5);
    runtime.disable();
    blockEventLoop(20);
    expect(await pointCount()).toBe(0);
  });

  it('creates no instruments for collectors turned off, and starts disabled on request', async () => {
    const { metrics, runtime } = setup({
      gc: false,
      cpu: false,
      eventLoopDelay: false,
      enabled: false,
    });
    expect(runtime.isEnabled).toBe(false);
    const pointCounts = [...(await metrics()).values()].map((m) => m.dataPoints.length);
    expect(pointCounts.every((n) => n === 0)).toBe(true);
    runtime.enable();
    const names = [...(await metrics()).entries()]
      .filter(([, m]) => m.dataPoints.length > 0)
      .map(([name]) => name)
      .sort();
    expect(names).toEqual(
      [
        METRIC_NODEJS_EVENTLOOP_TIME,
        METRIC_NODEJS_EVENTLOOP_UTILIZATION,
        METRIC_PROCESS_MEMORY_USAGE,
        METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
        METRIC_V8JS_MEMORY_HEAP_USED,
      ].sort(),
    );
  });

  it('observes nothing while recording is switched off', async () => {
    const { points } = setup({ gc: false });
    setRecordingEnabled(false);
    expect(await points(METRIC_PROCESS_MEMORY_USAGE)).toHaveLength(0);
    setRecordingEnabled(true);
    expect(await points(METRIC_PROCESS_MEMORY_USAGE)).toHaveLength(1);
  });

  it('rejects a bad delay resolution and bad GC buckets with a precise message', () => {
    expect(() => new RuntimeInstrumentation({ eventLoopDelayResolutionMs: 0.5 })).toThrow(
      'RuntimeInstrumentation: eventLoopDelayResolutionMs must be a positive integer of at most 2147483647, got 0.5; omit it to use the default 10',
    );
    expect(() => new RuntimeInstrumentation({ gcBuckets: [0.1, 0.01] })).toThrow(
      /gcBuckets: value 0.01 at index 1 is not greater than 0.1/,
    );
  });
});
