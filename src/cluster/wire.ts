import type { Attributes } from '@opentelemetry/api';
import type { MetricKind } from '../sdk/metric-kind.js';
import {
  MESSAGE_ANSWER,
  MESSAGE_DELTA,
  type REASON_TOO_LARGE,
  type REASON_UNKNOWN,
  WIRE_VERSION,
} from './semconv.js';

/** A number as JSON can carry it: non-finite values as text. */
export type WireNumber = number | 'NaN' | 'Inf' | '-Inf';

/** How a metric merges: counters, up-down counters and histograms add; gauges follow a policy. */
export type WireKind = MetricKind;

/** What a metric is: sent once per description epoch of the worker, with the metric's first points. */
export interface WireDescriptor {
  scope: string;
  scopeVersion?: string;
  name: string;
  description: string;
  unit: string;
  /** `ValueType` of the instrument (0 integer, 1 double). */
  valueType: number;
  kind: WireKind;
  /** Bucket boundaries (histograms). */
  bounds?: number[];
}

/**
 * The points of one metric in one report. Metrics and series are numbered by the worker in its
 * epoch; `d` and `s` come with every report that refers to them until the primary has answered
 * one such report as merged, later reports carry only ids and changed values.
 */
export interface WireMetric {
  /** The metric's id in the worker's epoch. */
  m: number;
  /** The metric's description, while the primary has not acknowledged it. */
  d?: WireDescriptor;
  /** Id of the first series described in `s`; the next ones follow. */
  s0?: number;
  /** Attributes of the series not acknowledged yet, numbered afresh: ids `s0`, `s0 + 1`, … */
  s?: Attributes[];
  /**
   * The changed points, flat: per point its series id as the difference to the previous point's
   * id (the first one's as is), then the value (counters, up-down counters, gauges) or the sum
   * and one count per bucket, one more than the boundaries (histograms; the count is their sum).
   */
  p: WireNumber[];
}

/** The newest exemplar of one series and bucket, as a worker sends it. */
export interface WireExemplar {
  /** Instrument name. */
  n: string;
  /** Attributes of the series. */
  a: Attributes;
  /** Bucket index (histograms) or -1 (counters). */
  k: number;
  /** Trace id, span id, value, timestamp in milliseconds. */
  t: string;
  i: string;
  v: number;
  ms: number;
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
  /** The worker's description epoch: a report of another epoch voids the ids known of the source. */
  epoch: number;
  metrics: WireMetric[];
  /** Newest exemplars recorded since the previous report (bounded). */
  exemplars?: WireExemplar[];
  /** Bucket boundaries of the instruments the exemplars' bucket indexes refer to. */
  exemplarBounds?: Record<string, number[]>;
}

/** Why the primary did not merge a report it received. */
export type AnswerRefusal = typeof REASON_UNKNOWN | typeof REASON_TOO_LARGE;

/** The primary's answer to one report, sent back to the worker that sent it. */
export interface AnswerMessage {
  type: typeof MESSAGE_ANSWER;
  /** The answered report's `seq` and `epoch`. */
  seq: number;
  epoch: number;
  /** Absent when the report was merged. */
  refused?: AnswerRefusal;
  /** With `too_large`: the longest report the primary accepts. */
  maxBytes?: number;
}

/** The answer to report `report`: merged when `refused` is undefined. */
export function answerTo(
  report: Pick<DeltaMessage, 'seq' | 'epoch'>,
  refused?: AnswerRefusal,
  maxBytes?: number,
): AnswerMessage {
  return {
    type: MESSAGE_ANSWER,
    seq: report.seq,
    epoch: report.epoch,
    ...(refused !== undefined && { refused }),
    ...(maxBytes !== undefined && { maxBytes }),
  };
}

/** Whether `value` is an answer of the primary. */
export function isAnswer(value: unknown): value is AnswerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Partial<AnswerMessage>;
  return (
    answer.type === MESSAGE_ANSWER &&
    typeof answer.seq === 'number' &&
    typeof answer.epoch === 'number'
  );
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

/** Values per point after the id: 1, or the sum and the bucket counts of a histogram. */
export function pointStride(descriptor: Pick<WireDescriptor, 'kind' | 'bounds'>): number {
  return descriptor.kind === 'histogram' ? 2 + (descriptor.bounds?.length ?? 0) : 1;
}

/** Optional parts of a report. */
export interface ReportExtras {
  exemplars?: WireExemplar[];
  exemplarBounds?: Record<string, number[]>;
}

/** A finished report of `source` whose `bytes` is its own exact JSON length. */
export function sealReport(
  source: string,
  seq: number,
  epoch: number,
  metrics: WireMetric[],
  extras: ReportExtras = {},
): DeltaMessage {
  const report: DeltaMessage = {
    type: MESSAGE_DELTA,
    v: WIRE_VERSION,
    source,
    seq,
    bytes: 0,
    epoch,
    metrics,
    ...(extras.exemplars?.length && extras),
  };
  const base = JSON.stringify(report).length - 1;
  let bytes = base + String(base).length;
  if (String(bytes).length !== String(base).length) bytes++;
  report.bytes = bytes;
  return report;
}
