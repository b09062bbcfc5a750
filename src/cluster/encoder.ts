import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  type DeltaMessage,
  type ReportExtras,
  sealReport,
  toWire,
  type WireDescriptor,
  type WireKind,
  type WireMetric,
  type WireNumber,
} from './wire.js';

/** Reports after which a worker describes its metrics and series again (a new epoch). */
export const EPOCH_REPORTS = 60;

/** A metric the worker has numbered in this epoch. */
interface KnownMetric {
  readonly id: number;
  readonly descriptor: WireDescriptor;
  described: boolean;
  /** Series key → id. */
  readonly series: Map<string, number>;
}

/** The block of one metric in the report under way. */
interface Block {
  readonly wire: WireMetric;
  lastId: number;
}

/** What {@link DeltaEncoder.encode} produced. */
export interface EncodedDeltas {
  reports: DeltaMessage[];
  /** Data points left out: exponential histograms, which the merge cannot add. */
  skipped: number;
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

/** JSON length of a number in an array, with its comma (whole numbers without converting them). */
function cost(value: WireNumber): number {
  if (typeof value !== 'number') return value.length + 3;
  if (!Number.isSafeInteger(value)) return String(value).length + 1;
  let digits = value < 0 ? 3 : 2;
  for (let n = Math.abs(value); n >= 10; n = Math.floor(n / 10)) digits++;
  return digits;
}

/**
 * Turns a worker's delta collections into reports of at most `maxBytes` (JSON length) each.
 * Stateful: a metric and each of its series are described (names, unit, boundaries, attributes)
 * in the first report of an epoch that has them and referred to by number afterwards, so an
 * interval costs the changed values and a few bytes of id per series. A new epoch starts every
 * {@link EPOCH_REPORTS} collections, or when a metric has numbered more than twice
 * `cardinalityLimit` series (attribute churn), so the table stays bounded and a primary that
 * missed descriptions (started late, refused a report) learns them again.
 */
export class DeltaEncoder {
  readonly #source: string;
  readonly #maxBytes: number;
  readonly #maxSeries: number;
  #metrics = new Map<string, KnownMetric>();
  #epoch = Math.floor(Math.random() * 2 ** 31);
  #collections = 0;
  #churn = false;

  /** Creates the encoder of worker `source`. */
  constructor(source: string, maxBytes: number, cardinalityLimit: number) {
    this.#source = source;
    this.#maxBytes = maxBytes;
    this.#maxSeries = 2 * cardinalityLimit + 1;
  }

  /** The current epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Encodes one delta collection into reports numbered from `firstSeq`; `extras` (exemplars) go
   * into the last report. A collection with no data points gives no report.
   */
  encode(collected: ResourceMetrics, firstSeq: number, extras: ReportExtras = {}): EncodedDeltas {
    if (++this.#collections > EPOCH_REPORTS || this.#churn) this.#renew();
    const reports: DeltaMessage[] = [];
    let seq = firstSeq;
    const base = JSON.stringify(sealReport(this.#source, seq, this.#epoch, [])).length + 16;
    let metrics: WireMetric[] = [];
    let bytes = base;
    let block: Block | undefined;
    const flush = () => {
      if (metrics.length === 0) return;
      reports.push(sealReport(this.#source, seq++, this.#epoch, metrics));
      metrics = [];
      bytes = base;
      block = undefined;
    };
    /** Adds one point (its id and values), opening the metric's block and starting a new report as needed. */
    const add = (
      known: KnownMetric,
      attributes: Attributes,
      value: WireNumber,
      counts?: readonly number[],
    ) => {
      // Keyed as written: the same set in another key order only takes a second id.
      const key = JSON.stringify(attributes);
      let id = known.series.get(key);
      const isNew = id === undefined;
      let needed = 8 + cost(value);
      if (counts !== undefined) for (const count of counts) needed += cost(count);
      if (isNew) needed += JSON.stringify(attributes).length + 12;
      if (block === undefined || block.wire.m !== known.id) {
        needed += 16 + (known.described ? 0 : JSON.stringify(known.descriptor).length + 5);
      }
      if (bytes + needed > this.#maxBytes && metrics.length > 0) flush();
      if (block === undefined || block.wire.m !== known.id) {
        const wire: WireMetric = { m: known.id, p: [] };
        if (!known.described) {
          wire.d = known.descriptor;
          known.described = true;
        }
        block = { wire, lastId: 0 };
        metrics.push(wire);
      }
      if (id === undefined) {
        id = known.series.size;
        known.series.set(key, id);
        if (id >= this.#maxSeries) this.#churn = true;
        const { wire } = block;
        if (wire.s === undefined) {
          wire.s0 = id;
          wire.s = [];
        }
        wire.s.push(attributes);
      }
      const p = block.wire.p;
      p.push(id - block.lastId, value);
      if (counts !== undefined) for (const count of counts) p.push(count);
      block.lastId = id;
      bytes += needed;
    };

    let skipped = 0;
    for (const { scope, metrics: collectedMetrics } of collected.scopeMetrics) {
      for (const metric of collectedMetrics) {
        const kind = kindOf(metric);
        if (metric.dataPoints.length === 0) continue;
        if (kind === undefined) {
          skipped += metric.dataPoints.length;
          continue;
        }
        block = undefined;
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const bounds = metric.dataPoints[0]?.value.buckets.boundaries ?? [];
          const known = this.#known(scope, metric, kind, bounds);
          for (const point of metric.dataPoints) {
            const { buckets, sum } = point.value;
            if (buckets.counts.length !== bounds.length + 1) {
              skipped++;
              continue;
            }
            add(known, point.attributes, toWire(sum ?? 0), buckets.counts);
          }
        } else if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
          const known = this.#known(scope, metric, kind, undefined);
          for (const point of metric.dataPoints) add(known, point.attributes, toWire(point.value));
        }
      }
    }
    if (extras.exemplars?.length) {
      // With the last points when they fit together, else in a report of their own.
      if (metrics.length === 0 || bytes + JSON.stringify(extras).length > this.#maxBytes) flush();
      reports.push(sealReport(this.#source, seq, this.#epoch, metrics, extras));
    } else {
      flush();
    }
    return { reports, skipped };
  }

  /** The numbered metric of `metric`, numbering it on first sight in this epoch. */
  #known(
    scope: { name: string; version?: string },
    metric: MetricData,
    kind: WireKind,
    bounds: readonly number[] | undefined,
  ): KnownMetric {
    const { name, description, unit, valueType } = metric.descriptor;
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${name}\u0000${kind}\u0000${unit}\u0000${valueType}`;
    let known = this.#metrics.get(key);
    if (known === undefined) {
      const descriptor: WireDescriptor = {
        scope: scope.name,
        ...(scope.version !== undefined && { scopeVersion: scope.version }),
        name,
        description,
        unit,
        valueType,
        kind,
        ...(bounds !== undefined && { bounds: [...bounds] }),
      };
      known = { id: this.#metrics.size, descriptor, described: false, series: new Map() };
      this.#metrics.set(key, known);
    }
    return known;
  }

  /** Starts a new epoch: every metric and series is described again. */
  #renew(): void {
    this.#metrics = new Map();
    this.#epoch = (this.#epoch + 1) % 2 ** 31;
    this.#collections = 1;
    this.#churn = false;
  }
}
