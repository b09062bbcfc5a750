import { formatDatetime } from '../../def-metric/schema/datetime.js';

/** A half-open time range [fromMs, toMs) in epoch milliseconds. */
export interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The window of `lengthMs` that ends `skipMs` before `nowMs` ("the 7 days before the last 24 h"). */
export function rollingWindow(nowMs: number, lengthMs: number, skipMs = 0): TimeWindow {
  if (!(lengthMs > 0)) throw new Error('a time window must be longer than zero, e.g. 7d');
  if (!(skipMs >= 0)) throw new Error('the skipped span must not be negative');
  const toMs = nowMs - skipMs;
  return { fromMs: toMs - lengthMs, toMs };
}

/** The window's length in hours. */
export function windowHours(window: TimeWindow): number {
  return (window.toMs - window.fromMs) / 3_600_000;
}

/** The window's bounds as the UTC `YYYY-MM-DD HH:MM:SS` texts of DATETIME columns. */
export function windowParams(window: TimeWindow): [string, string] {
  return [formatDatetime(window.fromMs), formatDatetime(window.toMs)];
}

/** `2026-11-24 10:00:00 … 2026-12-01 10:00:00` (UTC). */
export function describeWindow(window: TimeWindow): string {
  const [from, to] = windowParams(window);
  return `${from} … ${to} UTC`;
}
