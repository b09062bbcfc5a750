import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { MESSAGE_DELTA, WIRE_VERSION } from './semconv.js';

/** A number as JSON can carry it: non-finite values as text. */
export type WireNumber = number | 'NaN' | 'Inf' | '-Inf';

/** How a metric merges: counters, up-down counters and histograms add; gauges follow a policy. */
export type WireKind = 'counter' | 'updown' | 'gauge' | 'histogram';

/** One data point: `v` for counters and gauges; bucket counts, sum and count for histograms. */
export interface WirePoint {
  /** Attributes. */
  a: Attributes;
  /** Value (counters, up-down counters, gauges). */
  v?: WireNumber;
  /** Index of the point's bucket boundaries in the report's `bounds` (histograms). */
  b?: number;
  /** Bucket counts, one more than the boundaries (histograms). */
  c?: number[];
  /** Sum (histograms). */
  s?: WireNumber;
  /** Count (histograms). */
  n?: number;
}

/** One metric of one instrumentation scope, with the data points that changed. */
export interface WireMetric {
  scope: string;
  scopeVersion?: string;
  name: string;
  description: string;
  unit: string;
  /** `ValueType` of the instrument (0 integer, 1 double). */
  valueType: number;
  kind: WireKind;
  points: WirePoint[];
}

/** A delta report: what changed in one worker since its previous report. */
export interface DeltaMessage {
  type: typeof MESSAGE_DELTA;
  v: typeof WIRE_VERSION;
  /** The sending worker (`process:<pid>`, `thread:<pid>/<threadId>` or `primary`). */
  source: string;
  /** Sequence number of this report in its worker, from 1. */
  seq: number;
  /** JSON length of the report as the worker measured it. */
  bytes: number;
  /** Distinct boundary lists the histogram points refer to. */
  bounds: number[][];
  metrics: WireMetric[];
}

/** Smallest `maxMessageBytes` accepted: room for one data point with long attributes. */
export const MIN_MESSAGE_BYTES = 4096;

/** A number as it travels. */
export function toWire(value: number): WireNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Inf' : '-Inf';
}

/** A travelled number back; anything else is NaN. */
export function fromWire(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

/** The merge kind of a collected metric, or `undefined` for exponential histograms. */
function kindOf(metric: MetricData): WireKind | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'updown';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

/** Builds reports no longer than `maxBytes` each (but at least one point each), numbered from `seq`. */
class ReportPacker {
  readonly reports: DeltaMessage[] = [];
  #metrics: WireMetric[] = [];
  #bounds: number[][] = [];
  #boundsIndex = new Map<readonly number[], number>();
  #bytes = 0;
  /** The metric whose points are being added, and its entry in the report under way once it has one. */
  #pending: Omit<WireMetric, 'points'> | undefined;
  #current: WireMetric | undefined;

  constructor(
    private readonly maxBytes: number,
    private seq: number,
    private readonly source: string,
  ) {}

  /** Starts the points of `metric` (a copy of it without points). */
  begin(metric: Omit<WireMetric, 'points'>): void {
    this.#current = undefined;
    this.#pending = metric;
  }

  /** Adds one point, starting a new report when this one would grow past the limit. */
  add(point: WirePoint, boundaries?: readonly number[]): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    let boundsCost = 0;
    if (boundaries !== undefined && !this.#boundsIndex.has(boundaries)) {
      boundsCost = JSON.stringify(boundaries).length + 1;
    }
    const pointCost = JSON.stringify(point).length + 8;
    const metricCost = this.#current === undefined ? JSON.stringify(pending).length + 12 : 0;
    if (this.#bytes > 0 && this.#bytes + boundsCost + pointCost + metricCost > this.maxBytes) {
      this.flush();
      this.add(point, boundaries);
      return;
    }
    if (boundaries !== undefined) {
      let index = this.#boundsIndex.get(boundaries);
      if (index === undefined) {
        index = this.#bounds.length;
        this.#bounds.push([...boundaries]);
        this.#boundsIndex.set(boundaries, index);
      }
      point.b = index;
    }
    if (this.#current === undefined) {
      this.#current = { ...pending, points: [] };
      this.#metrics.push(this.#current);
    }
    this.#current.points.push(point);
    this.#bytes += boundsCost + pointCost + metricCost;
  }

  /** Closes the report under way, if it has anything. */
  flush(): void {
    if (this.#metrics.length === 0) return;
    this.reports.push(sealReport(this.source, this.seq++, this.#bounds, this.#metrics));
    this.#metrics = [];
    this.#bounds = [];
    this.#boundsIndex = new Map();
    this.#bytes = 0;
    this.#current = undefined;
  }
}

/** A finished report of `source` whose `bytes` is its own exact JSON length. */
export function sealReport(
  source: string,
  seq: number,
  bounds: number[][],
  metrics: WireMetric[],
): DeltaMessage {
  const report: DeltaMessage = {
    type: MESSAGE_DELTA,
    v: WIRE_VERSION,
    source,
    seq,
    bytes: 0,
    bounds,
    metrics,
  };
  const base = JSON.stringify(report).length - 1;
  let bytes = base + String(base).length;
  if (String(bytes).length !== String(base).length) bytes++;
  report.bytes = bytes;
  return report;
}

/** What {@link encodeDeltas} produced. */
export interface EncodedDeltas {
  reports: DeltaMessage[];
  /** Data points left out: exponential histograms, which the merge cannot add. */
  skipped: number;
}

/**
 * Turns one delta collection of worker `source` into reports of at most `maxBytes` (JSON length)
 * each, numbered from `firstSeq`; a collection with no data points gives no report.
 */
export function encodeDeltas(
  collected: ResourceMetrics,
  maxBytes: number,
  firstSeq: number,
  source: string,
): EncodedDeltas {
  const packer = new ReportPacker(maxBytes, firstSeq, source);
  let skipped = 0;
  for (const { scope, metrics } of collected.scopeMetrics) {
    for (const metric of metrics) {
      const kind = kindOf(metric);
      if (kind === undefined) {
        skipped += metric.dataPoints.length;
        continue;
      }
      const { name, description, unit, valueType } = metric.descriptor;
      packer.begin({
        scope: scope.name,
        ...(scope.version !== undefined && { scopeVersion: scope.version }),
        name,
        description,
        unit,
        valueType,
        kind,
      });
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const point of metric.dataPoints) {
          const { buckets, sum, count } = point.value;
          packer.add(
            { a: point.attributes, c: [...buckets.counts], s: toWire(sum ?? 0), n: count },
            buckets.boundaries,
          );
        }
      } else if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
        for (const point of metric.dataPoints) {
          packer.add({ a: point.attributes, v: toWire(point.value) });
        }
      }
    }
  }
  packer.flush();
  return { reports: packer.reports, skipped };
}
