import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { tupleKey } from '../core/tuple-key.js';
import { metricKindOf } from '../sdk/metric-kind.js';
import {
  addPending,
  newSeries,
  type PendingMetric,
  type PendingSeries,
  type SentPoint,
  takePending,
} from './pending.js';
import { REASON_UNKNOWN } from './semconv.js';
import {
  type AnswerMessage,
  type DeltaMessage,
  MIN_MESSAGE_BYTES,
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

/**
 * Most reports with data a worker keeps unanswered: beyond, it holds its deltas and sends empty
 * reports until the primary answers one (a primary not listening yet, or lagging).
 */
export const MAX_UNANSWERED = 16;

/** What a sent report took, until the primary answers it. */
interface SentReport {
  readonly epoch: number;
  /** Metrics the report described. */
  readonly metrics: PendingMetric[];
  readonly points: SentPoint[];
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

/** JSON length of a number in an array, with its comma (whole numbers without converting them). */
function cost(value: WireNumber): number {
  if (typeof value !== 'number') return value.length + 3;
  if (!Number.isSafeInteger(value)) return String(value).length + 1;
  let digits = value < 0 ? 3 : 2;
  for (let n = Math.abs(value); n >= 10; n = Math.floor(n / 10)) digits++;
  return digits;
}

/**
 * Turns a worker's delta collections into reports of at most `maxBytes` (JSON length) each, and
 * keeps what each report took until the primary answers it. Metrics and series are numbered per
 * epoch; every report describes (names, unit, boundaries, attributes) each metric and series it
 * refers to until the primary has answered a report describing it as merged, later reports carry
 * only ids and changed values. A report the primary did not merge gives its deltas back to the
 * series they came from, and the next report carries them with the new ones: answers come in the
 * order reports were sent, so an answer to report n also tells that every unanswered report before
 * n never reached this primary. Nothing is added twice and nothing unanswered is dropped. A new
 * epoch starts every {@link EPOCH_REPORTS} collections, when a metric has numbered more than twice
 * `cardinalityLimit` series (attribute churn), and when the primary answers that it does not know
 * the ids (it restarted, or dropped this worker's ids), so the table stays bounded.
 */
export class DeltaEncoder {
  readonly #source: string;
  #maxBytes: number;
  readonly #maxSeries: number;
  readonly #metrics = new Map<string, PendingMetric>();
  /** Metrics with series to send, in the order they changed. */
  #dirty: PendingMetric[] = [];
  /** Reports with data not answered yet, by seq (ascending). */
  readonly #sent = new Map<number, SentReport>();
  #epoch = Math.floor(Math.random() * 2 ** 31);
  #nextMetric = 0;
  #collections = 0;
  #renew = false;

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

  /** Longest report (JSON length): the worker's own limit, lowered by a `too_large` answer. */
  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** Reports with data the primary has not answered yet. */
  get unanswered(): number {
    return this.#sent.size;
  }

  /** Whether deltas wait to be sent (given back by an unmerged report, or held). */
  get pending(): boolean {
    return this.#dirty.length > 0;
  }

  /**
   * Encodes one delta collection, with whatever is pending, into reports numbered from
   * `firstSeq`; `extras` (exemplars) go into the last report. While {@link MAX_UNANSWERED}
   * reports are unanswered the deltas are kept for a later report and none is made. Nothing to
   * send gives no report.
   */
  encode(collected: ResourceMetrics, firstSeq: number, extras: ReportExtras = {}): EncodedDeltas {
    if (++this.#collections > EPOCH_REPORTS || this.#renew) this.#newEpoch();
    const skipped = this.#fold(collected);
    if (this.#sent.size >= MAX_UNANSWERED) return { reports: [], skipped };
    return { reports: this.#emit(firstSeq, extras), skipped };
  }

  /** Takes the primary's answer to one report. */
  answered(answer: AnswerMessage): void {
    for (const [seq, sent] of this.#sent) {
      if (seq > answer.seq) break;
      this.#sent.delete(seq);
      if (seq === answer.seq && answer.refused === undefined) this.#merged(sent);
      else this.#giveBack(sent);
    }
    if (answer.refused === REASON_UNKNOWN && answer.epoch === this.#epoch) this.#renew = true;
    const { maxBytes } = answer;
    if (typeof maxBytes === 'number' && maxBytes >= MIN_MESSAGE_BYTES) {
      this.#maxBytes = Math.min(this.#maxBytes, Math.floor(maxBytes));
    }
  }

  /** Report `seq` could not be sent: its deltas go into the next one. */
  unsent(seq: number): void {
    const sent = this.#sent.get(seq);
    if (sent === undefined) return;
    this.#sent.delete(seq);
    this.#giveBack(sent);
  }

  /** Adds a collection's points to the pending deltas of their series; returns the points left out. */
  #fold(collected: ResourceMetrics): number {
    let skipped = 0;
    for (const { scope, metrics } of collected.scopeMetrics) {
      for (const metric of metrics) {
        const kind = metricKindOf(metric);
        if (metric.dataPoints.length === 0) continue;
        if (kind === undefined) {
          skipped += metric.dataPoints.length;
          continue;
        }
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const bounds = metric.dataPoints[0]?.value.buckets.boundaries ?? [];
          const known = this.#metric(scope, metric, kind, bounds);
          for (const point of metric.dataPoints) {
            const { buckets, sum } = point.value;
            if (buckets.counts.length !== bounds.length + 1) {
              skipped++;
              continue;
            }
            const series = this.#series(known, point.attributes);
            if (series === undefined) skipped++;
            else this.#add(series, sum ?? 0, buckets.counts);
          }
        } else if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
          const known = this.#metric(scope, metric, kind, undefined);
          for (const point of metric.dataPoints) {
            const series = this.#series(known, point.attributes);
            if (series === undefined) skipped++;
            else this.#add(series, point.value, undefined);
          }
        }
      }
    }
    return skipped;
  }

  #add(series: PendingSeries, value: number, counts?: readonly number[], takenBy?: number): void {
    const { metric } = series;
    const first = metric.dirty.length === 0;
    if (!addPending(series, metric.descriptor.kind, value, counts, takenBy)) return;
    if (first) this.#dirty.push(metric);
    metric.dirty.push(series);
  }

  /** Turns everything pending into reports, each remembered until answered. */
  #emit(firstSeq: number, extras: ReportExtras): DeltaMessage[] {
    const reports: DeltaMessage[] = [];
    let seq = firstSeq;
    const base = JSON.stringify(sealReport(this.#source, seq, this.#epoch, [])).length + 16;
    let metrics: WireMetric[] = [];
    let sent: SentReport = { epoch: this.#epoch, metrics: [], points: [] };
    let bytes = base;
    let block: Block | undefined;
    const flush = (withExtras?: ReportExtras) => {
      if (metrics.length === 0 && withExtras === undefined) return;
      if (sent.points.length > 0) this.#sent.set(seq, sent);
      reports.push(sealReport(this.#source, seq++, this.#epoch, metrics, withExtras));
      metrics = [];
      sent = { epoch: this.#epoch, metrics: [], points: [] };
      bytes = base;
      block = undefined;
    };
    /** Adds one series' pending point, opening the metric's block and starting a new report as needed. */
    const add = (metric: PendingMetric, series: PendingSeries) => {
      const value = toWire(series.value);
      const counts = series.counts;
      const describe = !series.known;
      const opening = 16 + (metric.known ? 0 : metric.descriptorBytes + 5);
      let needed = 8 + cost(value);
      if (counts !== undefined) for (const count of counts) needed += cost(count);
      if (describe) needed += JSON.stringify(series.attributes).length + 12;
      if (block === undefined) needed += opening;
      if (bytes + needed > this.#maxBytes && metrics.length > 0) {
        if (block !== undefined) needed += opening;
        flush();
      }
      if (block === undefined) {
        if (metric.id < 0) metric.id = this.#nextMetric++;
        const wire: WireMetric = { m: metric.id, p: [] };
        if (!metric.known) {
          wire.d = metric.descriptor;
          sent.metrics.push(metric);
        }
        block = { wire, lastId: 0 };
        metrics.push(wire);
      }
      const { wire } = block;
      if (describe) {
        // A series not acknowledged yet is numbered afresh, so the described ids run on.
        series.id = metric.next++;
        if (series.id >= this.#maxSeries) this.#renew = true;
        if (wire.s === undefined) {
          wire.s0 = series.id;
          wire.s = [];
        }
        wire.s.push(series.attributes);
      }
      const p = wire.p;
      p.push(series.id - block.lastId, value);
      if (counts !== undefined) for (const count of counts) p.push(count);
      block.lastId = series.id;
      bytes += needed;
      sent.points.push(takePending(series, describe ? series.id : -1, seq));
    };

    for (const metric of this.#dirty) {
      block = undefined;
      for (const series of metric.dirty) add(metric, series);
      metric.dirty = [];
    }
    this.#dirty = [];
    if (extras.exemplars?.length) {
      // With the last points when they fit together, else in a report of their own.
      if (metrics.length > 0 && bytes + JSON.stringify(extras).length > this.#maxBytes) flush();
      flush(extras);
    } else {
      flush();
    }
    return reports;
  }

  /** A merged report: what it described is known to the primary, in the epoch it was sent in. */
  #merged(sent: SentReport): void {
    if (sent.epoch !== this.#epoch) return;
    for (const metric of sent.metrics) metric.known = true;
    for (const point of sent.points) {
      if (point.described >= 0 && point.series.id === point.described) point.series.known = true;
    }
  }

  /** An unmerged report: its deltas go back to their series (as this epoch holds them). */
  #giveBack(sent: SentReport): void {
    for (const point of sent.points) {
      const { metric, key } = point.series;
      let series = metric.series.get(key);
      if (series === undefined) {
        series = point.series;
        series.id = -1;
        series.known = false;
        metric.series.set(key, series);
      }
      this.#add(series, point.value, point.counts, point.seq);
    }
  }

  /** The numbered metric of `metric`, made on first sight. */
  #metric(
    scope: { name: string; version?: string },
    metric: MetricData,
    kind: WireKind,
    bounds: readonly number[] | undefined,
  ): PendingMetric {
    const { name, description, unit, valueType } = metric.descriptor;
    const key = tupleKey([scope.name, scope.version ?? '', name, kind, unit, valueType]);
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
      known = {
        key,
        descriptor,
        descriptorBytes: JSON.stringify(descriptor).length,
        id: -1,
        known: false,
        series: new Map(),
        dirty: [],
        next: 0,
      };
      this.#metrics.set(key, known);
    }
    return known;
  }

  /**
   * The series of `attributes` in `metric`, or `undefined` when the metric already holds twice
   * the epoch's id bound (deltas held with no primary answering, under attribute churn).
   */
  #series(metric: PendingMetric, attributes: Attributes): PendingSeries | undefined {
    // Keyed as written: the same set in another key order only takes a second id.
    const key = JSON.stringify(attributes);
    let series = metric.series.get(key);
    if (series === undefined) {
      if (metric.series.size >= 2 * this.#maxSeries) return undefined;
      series = newSeries(metric, key, attributes);
      metric.series.set(key, series);
    }
    return series;
  }

  /**
   * Starts a new epoch: ids are given afresh, so every metric and series is described again until
   * acknowledged; only series with pending deltas stay in the table.
   */
  #newEpoch(): void {
    this.#epoch = (this.#epoch + 1) % 2 ** 31;
    this.#collections = 1;
    this.#renew = false;
    this.#nextMetric = 0;
    for (const metric of this.#metrics.values()) {
      metric.id = -1;
      metric.known = false;
      metric.next = 0;
      const kept = new Map<string, PendingSeries>();
      for (const series of metric.dirty) {
        series.id = -1;
        series.known = false;
        kept.set(series.key, series);
      }
      metric.series = kept;
    }
  }
}
