import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type MetricDescriptor,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  ATTR_CLUSTER_WORKER,
  ATTR_METRIC_OVERFLOW,
  MESSAGE_DELTA,
  REASON_BOUNDARIES,
  REASON_CONFLICT,
  REASON_MALFORMED,
  REASON_OVERFLOW,
  WIRE_VERSION,
} from './semconv.js';
import {
  type DeltaMessage,
  fromWire,
  type WireKind,
  type WireMetric,
  type WirePoint,
} from './wire.js';

/**
 * How the gauge values of several workers become one: `last` (the most recently reported),
 * `sum`, `max`, `min`, or `worker` (one series per worker, labelled `opmeter.cluster.worker`).
 */
export type GaugePolicy = 'last' | 'sum' | 'max' | 'min' | 'worker';

/** The gauge policies, for validation. */
export const GAUGE_POLICIES: readonly GaugePolicy[] = ['last', 'sum', 'max', 'min', 'worker'];

/** Settings of a {@link MergedMetrics}. */
export interface MergeSettings {
  /** Most series kept per metric; new ones beyond go to the overflow series. */
  maxSeriesPerMetric: number;
  /** Most metrics kept; reports of further metric names are refused. */
  maxMetrics: number;
  /** The policy of the gauge named `name`. */
  gaugePolicy(name: string): GaugePolicy;
  /** Counts data points (or whole reports) not merged as they should have been. */
  onRefused(reason: string, points: number): void;
}

interface GaugeValue {
  value: number;
  /** Order of arrival over the whole merge, for the `last` policy. */
  order: number;
}

interface Series {
  /** The first attributes object seen for the series: stable, so the exposition caches its labels. */
  readonly attributes: Attributes;
  value: number;
  counts: number[];
  sum: number;
  count: number;
  gauges: Map<string, GaugeValue> | undefined;
  workerAttributes: Map<string, Attributes> | undefined;
}

interface Metric {
  readonly scope: string;
  readonly scopeVersion: string | undefined;
  readonly kind: WireKind;
  readonly descriptor: MetricDescriptor;
  readonly startTime: HrTime;
  boundaries: number[] | undefined;
  readonly series: Map<string, Series>;
}

const OVERFLOW_KEY = JSON.stringify([[ATTR_METRIC_OVERFLOW, true]]);
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ [ATTR_METRIC_OVERFLOW]: true });

/**
 * The merged cumulative state of every worker's delta reports, per (metric, attributes): sums,
 * up-down sums and histograms add (histograms only with the boundaries first seen), gauges keep
 * each worker's last value and combine them by policy. Counters only ever grow: a worker that
 * goes away takes only its gauge values with it. Memory is bounded by `maxMetrics` ×
 * `maxSeriesPerMetric` (+1 overflow series each), gauges times the live workers.
 */
export class MergedMetrics {
  readonly #settings: MergeSettings;
  readonly #metrics = new Map<string, Metric>();
  #order = 0;

  /** Creates an empty merge. */
  constructor(settings: MergeSettings) {
    this.#settings = settings;
  }

  /** Number of merged metrics. */
  get size(): number {
    return this.#metrics.size;
  }

  /**
   * Merges one delta report of worker `source`; a report that is not a valid message of this
   * wire version is refused whole (counted as `malformed`). Returns whether it was merged.
   */
  apply(source: string, report: unknown): boolean {
    if (!isDeltaMessage(report)) {
      this.#settings.onRefused(REASON_MALFORMED, 1);
      return false;
    }
    for (const wire of report.metrics) {
      if (!isWireMetric(wire)) {
        this.#settings.onRefused(REASON_MALFORMED, 1);
        continue;
      }
      const metric = this.#metricFor(wire);
      if (metric === undefined) continue;
      for (const point of wire.points) this.#applyPoint(source, metric, point, report.bounds);
    }
    return true;
  }

  /** Forgets the gauge values of worker `source` (it exited); its sums stay merged. */
  dropSource(source: string): void {
    for (const metric of this.#metrics.values()) {
      if (metric.kind !== 'gauge') continue;
      for (const [key, series] of metric.series) {
        if (series.gauges?.delete(source)) series.workerAttributes?.delete(source);
        if (series.gauges?.size === 0) metric.series.delete(key);
      }
    }
  }

  /** The merged state as cumulative `ResourceMetrics` under `resource`, for any exporter. */
  snapshot(resource: Resource): ResourceMetrics {
    const endTime = hrNow();
    const scopes = new Map<string, ScopeMetrics>();
    for (const metric of this.#metrics.values()) {
      const data = this.#metricData(metric, endTime);
      if (data.dataPoints.length === 0) continue;
      const scopeKey = `${metric.scope}\u0000${metric.scopeVersion ?? ''}`;
      let scope = scopes.get(scopeKey);
      if (scope === undefined) {
        scope = {
          scope: {
            name: metric.scope,
            ...(metric.scopeVersion !== undefined && { version: metric.scopeVersion }),
          },
          metrics: [],
        };
        scopes.set(scopeKey, scope);
      }
      scope.metrics.push(data);
    }
    return { resource, scopeMetrics: [...scopes.values()] };
  }

  #metricFor(wire: WireMetric): Metric | undefined {
    const key = `${wire.scope}\u0000${wire.name}`;
    const known = this.#metrics.get(key);
    if (known !== undefined) {
      const { descriptor } = known;
      if (
        known.kind === wire.kind &&
        descriptor.unit === wire.unit &&
        descriptor.valueType === wire.valueType
      ) {
        return known;
      }
      this.#settings.onRefused(REASON_CONFLICT, wire.points.length);
      return undefined;
    }
    if (this.#metrics.size >= this.#settings.maxMetrics) {
      this.#settings.onRefused(REASON_OVERFLOW, wire.points.length);
      return undefined;
    }
    const metric: Metric = {
      scope: wire.scope,
      scopeVersion: wire.scopeVersion,
      kind: wire.kind,
      descriptor: {
        name: wire.name,
        description: wire.description,
        unit: wire.unit,
        valueType: wire.valueType === ValueType.INT ? ValueType.INT : ValueType.DOUBLE,
      },
      startTime: hrNow(),
      boundaries: undefined,
      series: new Map(),
    };
    this.#metrics.set(key, metric);
    return metric;
  }

  #applyPoint(source: string, metric: Metric, point: WirePoint, bounds: number[][]): void {
    if (typeof point !== 'object' || point === null || typeof point.a !== 'object') {
      this.#settings.onRefused(REASON_MALFORMED, 1);
      return;
    }
    if (metric.kind === 'histogram') {
      const boundaries = bounds[point.b ?? -1];
      const counts = point.c;
      if (
        !Array.isArray(boundaries) ||
        !Array.isArray(counts) ||
        counts.length !== boundaries.length + 1
      ) {
        this.#settings.onRefused(REASON_MALFORMED, 1);
        return;
      }
      metric.boundaries ??= [...boundaries];
      if (!sameBoundaries(metric.boundaries, boundaries)) {
        this.#settings.onRefused(REASON_BOUNDARIES, 1);
        return;
      }
      const series = this.#series(metric, point.a);
      if (series.counts.length === 0) series.counts = new Array<number>(counts.length).fill(0);
      for (let i = 0; i < counts.length; i++)
        series.counts[i] = (series.counts[i] ?? 0) + (Number(counts[i]) || 0);
      series.sum += fromWire(point.s);
      series.count += Number(point.n) || 0;
      return;
    }
    const value = fromWire(point.v);
    const series = this.#series(metric, point.a);
    if (metric.kind !== 'gauge') {
      series.value += value;
      return;
    }
    series.gauges ??= new Map();
    series.gauges.set(source, { value, order: this.#order++ });
  }

  #series(metric: Metric, attributes: Attributes): Series {
    let key = attributeKey(attributes);
    let series = metric.series.get(key);
    if (series !== undefined) return series;
    if (metric.series.size >= this.#settings.maxSeriesPerMetric && key !== OVERFLOW_KEY) {
      this.#settings.onRefused(REASON_OVERFLOW, 1);
      key = OVERFLOW_KEY;
      attributes = OVERFLOW_ATTRIBUTES;
      series = metric.series.get(key);
      if (series !== undefined) return series;
    }
    series = {
      attributes: Object.freeze({ ...attributes }),
      value: 0,
      counts: [],
      sum: 0,
      count: 0,
      gauges: undefined,
      workerAttributes: undefined,
    };
    metric.series.set(key, series);
    return series;
  }

  #metricData(metric: Metric, endTime: HrTime): MetricData {
    const { descriptor, startTime } = metric;
    const base = { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE };
    const series = [...metric.series.values()];
    const point = <T>(attributes: Attributes, value: T) => ({
      startTime,
      endTime,
      attributes,
      value,
    });
    switch (metric.kind) {
      case 'histogram': {
        const boundaries = metric.boundaries ?? [];
        return {
          ...base,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: series.map((s) =>
            point(s.attributes, {
              buckets: { boundaries, counts: [...s.counts] },
              sum: s.sum,
              count: s.count,
            }),
          ),
        };
      }
      case 'gauge': {
        const policy = this.#settings.gaugePolicy(descriptor.name);
        const dataPoints = series.flatMap((s) =>
          gaugePoints(s, policy).map(([attributes, value]) => point(attributes, value)),
        );
        return { ...base, dataPointType: DataPointType.GAUGE, dataPoints };
      }
      default:
        return {
          ...base,
          dataPointType: DataPointType.SUM,
          isMonotonic: metric.kind === 'counter',
          dataPoints: series.map((s) => point(s.attributes, s.value)),
        };
    }
  }
}

/** The (attributes, value) pairs one gauge series shows under `policy`. */
function gaugePoints(series: Series, policy: GaugePolicy): Array<[Attributes, number]> {
  const values = [...(series.gauges?.entries() ?? [])];
  if (values.length === 0) return [];
  if (policy === 'worker') {
    series.workerAttributes ??= new Map();
    const labelled = series.workerAttributes;
    return values.map(([source, { value }]) => {
      let attributes = labelled.get(source);
      if (attributes === undefined) {
        attributes = Object.freeze({ ...series.attributes, [ATTR_CLUSTER_WORKER]: source });
        labelled.set(source, attributes);
      }
      return [attributes, value];
    });
  }
  const numbers = values.map(([, { value }]) => value);
  switch (policy) {
    case 'sum':
      return [[series.attributes, numbers.reduce((a, b) => a + b, 0)]];
    case 'max':
      return [[series.attributes, Math.max(...numbers)]];
    case 'min':
      return [[series.attributes, Math.min(...numbers)]];
    default: {
      let latest = values[0]?.[1] as GaugeValue;
      for (const [, entry] of values) if (entry.order > latest.order) latest = entry;
      return [[series.attributes, latest.value]];
    }
  }
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A key of an attribute set independent of the order its keys were written in. */
function attributeKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  return JSON.stringify(keys.map((key) => [key, attributes[key]]));
}

function isDeltaMessage(value: unknown): value is DeltaMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Partial<DeltaMessage>;
  return (
    message.type === MESSAGE_DELTA &&
    message.v === WIRE_VERSION &&
    Array.isArray(message.metrics) &&
    Array.isArray(message.bounds)
  );
}

const KINDS = new Set<unknown>(['counter', 'updown', 'gauge', 'histogram']);

function isWireMetric(value: unknown): value is WireMetric {
  if (typeof value !== 'object' || value === null) return false;
  const metric = value as Partial<WireMetric>;
  return (
    typeof metric.scope === 'string' &&
    typeof metric.name === 'string' &&
    typeof metric.unit === 'string' &&
    typeof metric.description === 'string' &&
    typeof metric.valueType === 'number' &&
    KINDS.has(metric.kind) &&
    Array.isArray(metric.points)
  );
}

function hrNow(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}
