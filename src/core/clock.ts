import { performance } from 'node:perf_hooks';

/** Monotonic time in seconds, for measuring durations (never the wall clock). */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/** The wall-clock time (ms since the epoch) of monotonic instant `seconds`: time origin plus offset. */
export function wallClockMs(seconds: number): number {
  return performance.timeOrigin + seconds * 1000;
}
