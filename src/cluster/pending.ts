import type { Attributes } from '@opentelemetry/api';
import type { WireDescriptor, WireKind } from './wire.js';

/** A metric of a worker: its id in the current epoch and its series. */
export interface PendingMetric {
  readonly key: string;
  readonly descriptor: WireDescriptor;
  /** JSON length of the descriptor, for the report's byte budget. */
  readonly descriptorBytes: number;
  /** Id in the current epoch, or -1 before it is numbered. */
  id: number;
  /** Whether the primary merged a report of this epoch that described the metric. */
  known: boolean;
  /** Series key → series: the numbered ones of this epoch and those with deltas to send. */
  series: Map<string, PendingSeries>;
  /** Series with deltas to send, in the order they changed. */
  dirty: PendingSeries[];
  /** Next series id of the epoch. */
  next: number;
}

/** A series of a worker: its id in the current epoch and the deltas it has not sent yet. */
export interface PendingSeries {
  readonly key: string;
  readonly attributes: Attributes;
  readonly metric: PendingMetric;
  /** Id in the current epoch, or -1 before it is numbered. */
  id: number;
  /** Whether the primary merged a report that described the series under its current `id`. */
  known: boolean;
  /** Whether deltas wait to be sent (the series is in its metric's `dirty`). */
  dirty: boolean;
  /** Sums and up-down sums: the deltas added up; gauges: the last value; histograms: the sum. */
  value: number;
  /** Histograms: the bucket counts added up. */
  counts: number[] | undefined;
  /**
   * Gauges: the seq of the report that took the newest value the series holds or has sent;
   * `Infinity` while a newly recorded value is pending (newer than any report), -1 before any.
   */
  newest: number;
}

/** What one report took from a series, given back to it when the primary did not merge the report. */
export interface SentPoint {
  readonly series: PendingSeries;
  /** The id the report described the series under, or -1 when it referred to a known id. */
  readonly described: number;
  readonly value: number;
  readonly counts: number[] | undefined;
  /** The seq of the report that took it. */
  readonly seq: number;
}

/** A series with nothing pending, not numbered yet. */
export function newSeries(
  metric: PendingMetric,
  key: string,
  attributes: Attributes,
): PendingSeries {
  return {
    key,
    attributes,
    metric,
    id: -1,
    known: false,
    dirty: false,
    value: 0,
    counts: undefined,
    newest: -1,
  };
}

/**
 * Adds a delta (or a gauge's newer value) to what `series` has pending; `takenBy` is the seq of
 * the report a value given back was taken by (an unmerged report). A gauge takes a given-back
 * value only when it holds and has sent nothing newer (taken by a later report, or recorded
 * since), else drops it. Returns whether the series just became dirty.
 */
export function addPending(
  series: PendingSeries,
  kind: WireKind,
  value: number,
  counts: readonly number[] | undefined,
  takenBy?: number,
): boolean {
  const wasDirty = series.dirty;
  if (kind === 'gauge') {
    if (takenBy === undefined) series.newest = Number.POSITIVE_INFINITY;
    else if (takenBy < series.newest) return false;
    else series.newest = takenBy;
    series.value = value;
  } else {
    series.value += value;
  }
  if (counts !== undefined) {
    const pending = series.counts;
    if (pending === undefined) series.counts = counts.slice();
    else for (let i = 0; i < counts.length; i++) pending[i] = (pending[i] ?? 0) + (counts[i] ?? 0);
  }
  series.dirty = true;
  return !wasDirty;
}

/**
 * Takes what `series` has pending into a point of report `seq`, which describes the series under
 * `described` (or -1).
 */
export function takePending(series: PendingSeries, described: number, seq: number): SentPoint {
  const point: SentPoint = { series, described, value: series.value, counts: series.counts, seq };
  series.newest = seq;
  series.value = 0;
  series.counts = undefined;
  series.dirty = false;
  return point;
}
