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
import { tupleKey } from '../core/tuple-key.js';
import {
  ATTR_CLUSTER_WORKER,
  ATTR_METRIC_OVERFLOW,
  MESSAGE_DELTA,
  REASON_BOUNDARIES,
  REASON_CONFLICT,
  REASON_MALFORMED,
  REASON_OVERFLOW,
  REASON_UNKNOWN,
  WIRE_VERSION,
} from './semconv.js';
import {
  type DeltaMessage,
  fromWire,
  pointStride,
  type WireDescriptor,
  type WireKind,
  type WireMetric,
} from './wire.js';

/**
 * How the gauge values of several workers become one: `last` (the most recently reported),
 * `sum`, `max`, `min`, or `worker` (one series per worker, labelled `opmeter.cluster.worker`).
 */
export type GaugePolicy = 'last' | 'sum' | 'max' | 'min' | 'worker';

/** What became of a report: merged, or refused whole as not a report or as referring to unknown ids. */
export type ApplyResult = 'merged' | 'malformed' | 'unknown';

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

/** What one metric id of one worker stands for. */
interface SourceMetric {
  /** The merged metric, or `undefined` when the id's points are refused for `refused`. */
  readonly metric?: Metric;
  readonly refused?: string;
  /** Values per point after the id. */
  readonly stride: number;
  /** Series id → merged series. */
  readonly series: (Series | undefined)[];
}

/** The ids of one worker in one epoch. */
interface SourceTable {
  readonly epoch: number;
  readonly metrics: Map<number, SourceMetric>;
}

const OVERFLOW_KEY = JSON.stringify([[ATTR_METRIC_OVERFLOW, true]]);
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ [ATTR_METRIC_OVERFLOW]: true });

/**
 * The merged cumulative state of every worker's delta reports, per (metric, attributes): sums,
 * up-down sums and histograms add (histograms only with the boundaries first seen), gauges keep
 * each worker's last value and combine them by policy. Counters only ever grow: a worker that
 * goes away takes only its gauge values with it. Each live worker's metric and series ids are
 * kept for its current epoch (a worker numbers at most twice its cardinality limit per metric
 * before it starts a new one). Memory is bounded by `maxMetrics` × `maxSeriesPerMetric` (+1
 * overflow series each), gauges and id tables times the live workers.
 */
export class MergedMetrics {
  readonly #settings: MergeSettings;
  readonly #metrics = new Map<string, Metric>();
  /** Per worker, what its metric and series ids stand for in its current epoch. */
  readonly #sources = new Map<string, SourceTable>();
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
   * Merges one delta report of worker `source`. A report that is not a valid message of this wire
   * version is refused whole (`malformed`); so is one that refers to a metric or series id this
   * merge does not hold for the source (`unknown`, each of its points counted), so that nothing of
   * it is merged and the worker can send all of it again.
   */
  apply(source: string, report: unknown): ApplyResult {
    if (!isDeltaMessage(report)) {
      this.#settings.onRefused(REASON_MALFORMED, 1);
      return 'malformed';
    }
    let table = this.#sources.get(source);
    if (table?.epoch !== report.epoch) {
      table = { epoch: report.epoch, metrics: new Map() };
      this.#sources.set(source, table);
    }
    const blocks: Array<[SourceMetric, WireMetric, number]> = [];
    let points = 0;
    let unknown = false;
    for (const wire of report.metrics) {
      if (!isWireMetric(wire)) {
        this.#settings.onRefused(REASON_MALFORMED, 1);
        continue;
      }
      // Described again while not acknowledged: a metric id means one metric in an epoch.
      if (wire.d !== undefined && !table.metrics.has(wire.m)) {
        table.metrics.set(wire.m, this.#described(wire.d));
      }
      const known = table.metrics.get(wire.m);
      if (known === undefined) {
        unknown = true;
        points += Math.max(1, Math.floor(wire.p.length / 2));
        continue;
      }
      const resolved = this.#resolve(known, wire);
      if (resolved === undefined) continue;
      points += resolved.points;
      unknown ||= resolved.unknown;
      blocks.push([known, wire, resolved.points]);
    }
    if (unknown) {
      this.#settings.onRefused(REASON_UNKNOWN, points);
      return 'unknown';
    }
    for (const [known, wire, count] of blocks) this.#applyBlock(source, known, wire, count);
    return 'merged';
  }

  /** Forgets the gauge values and ids of worker `source` (it exited); its sums stay merged. */
  dropSource(source: string): void {
    this.#sources.delete(source);
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
      const scopeKey = tupleKey([metric.scope, metric.scopeVersion ?? '']);
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

  /** What a source's metric id stands for: the merged metric, or why its points are refused. */
  #described(descriptor: unknown): SourceMetric {
    if (!isDescriptor(descriptor)) return { refused: REASON_MALFORMED, stride: 1, series: [] };
    const stride = pointStride(descriptor);
    const refused = (reason: string): SourceMetric => ({ refused: reason, stride, series: [] });
    const key = tupleKey([descriptor.scope, descriptor.name]);
    let metric = this.#metrics.get(key);
    if (metric !== undefined) {
      const { kind, descriptor: known } = metric;
      if (
        kind !== descriptor.kind ||
        known.unit !== descriptor.unit ||
        known.valueType !== descriptor.valueType
      ) {
        return refused(REASON_CONFLICT);
      }
    } else {
      if (this.#metrics.size >= this.#settings.maxMetrics) return refused(REASON_OVERFLOW);
      metric = {
        scope: descriptor.scope,
        scopeVersion: descriptor.scopeVersion,
        kind: descriptor.kind,
        descriptor: {
          name: descriptor.name,
          description: descriptor.description,
          unit: descriptor.unit,
          valueType: descriptor.valueType === ValueType.INT ? ValueType.INT : ValueType.DOUBLE,
        },
        startTime: hrNow(),
        boundaries: undefined,
        series: new Map(),
      };
      this.#metrics.set(key, metric);
    }
    if (metric.kind === 'histogram') {
      const bounds = descriptor.bounds ?? [];
      metric.boundaries ??= [...bounds];
      if (!sameBoundaries(metric.boundaries, bounds)) return refused(REASON_BOUNDARIES);
    }
    return { metric, stride, series: [] };
  }

  /**
   * Takes in the series a block describes and checks its ids: the block's point count and whether
   * one of its ids is unknown, or `undefined` when it is malformed (counted).
   */
  #resolve(
    known: SourceMetric,
    wire: WireMetric,
  ): { points: number; unknown: boolean } | undefined {
    const { stride, metric } = known;
    const step = stride + 1;
    const points = wire.p.length / step;
    if (!Number.isInteger(points)) {
      this.#settings.onRefused(REASON_MALFORMED, Math.max(1, Math.floor(points)));
      return undefined;
    }
    if (metric === undefined) return { points, unknown: false };
    if (wire.s !== undefined) {
      const first = Number(wire.s0);
      if (!Array.isArray(wire.s) || !Number.isInteger(first) || first < 0) {
        this.#settings.onRefused(REASON_MALFORMED, points);
        return undefined;
      }
      for (let i = 0; i < wire.s.length; i++) {
        const attributes = wire.s[i];
        known.series[first + i] =
          typeof attributes === 'object' && attributes !== null
            ? this.#series(metric, attributes)
            : undefined;
      }
    }
    const p = wire.p;
    let id = 0;
    for (let at = 0; at < p.length; at += step) {
      id += Number(p[at]);
      if (known.series[id] === undefined) return { points, unknown: true };
    }
    return { points, unknown: false };
  }

  /** Merges the `points` points of one resolved metric block of `source`. */
  #applyBlock(source: string, known: SourceMetric, wire: WireMetric, points: number): void {
    const { stride, metric } = known;
    const step = stride + 1;
    if (metric === undefined) {
      this.#settings.onRefused(known.refused ?? REASON_MALFORMED, points);
      return;
    }
    const p = wire.p;
    let id = 0;

    for (let at = 0; at < p.length; at += step) {
      id += Number(p[at]);
      const series = known.series[id];
      if (series === undefined) continue;
      if (metric.kind === 'histogram') {
        if (series.counts.length === 0) series.counts = new Array<number>(stride - 1).fill(0);
        series.sum += fromWire(p[at + 1]);
        for (let i = 0; i < stride - 1; i++) {
          const count = Number(p[at + 2 + i]) || 0;
          series.counts[i] = (series.counts[i] ?? 0) + count;
          series.count += count;
        }
      } else if (metric.kind === 'gauge') {
        series.gauges ??= new Map();
        series.gauges.set(source, { value: fromWire(p[at + 1]), order: this.#order++ });
      } else {
        series.value += fromWire(p[at + 1]);
      }
    }
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
    typeof message.seq === 'number' &&
    typeof message.epoch === 'number' &&
    Array.isArray(message.metrics)
  );
}

const KINDS = new Set<unknown>(['counter', 'updown', 'gauge', 'histogram']);

function isWireMetric(value: unknown): value is WireMetric {
  if (typeof value !== 'object' || value === null) return false;
  const metric = value as Partial<WireMetric>;
  return typeof metric.m === 'number' && Array.isArray(metric.p);
}

function isDescriptor(value: unknown): value is WireDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const descriptor = value as Partial<WireDescriptor>;
  return (
    typeof descriptor.scope === 'string' &&
    typeof descriptor.name === 'string' &&
    typeof descriptor.unit === 'string' &&
    typeof descriptor.description === 'string' &&
    typeof descriptor.valueType === 'number' &&
    KINDS.has(descriptor.kind) &&
    (descriptor.bounds === undefined ||
      (Array.isArray(descriptor.bounds) && descriptor.bounds.every((b) => typeof b === 'number')))
  );
}

function hrNow(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}
