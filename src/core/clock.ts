import { performance } from 'node:perf_hooks';

/** The wall-clock time (ms since the epoch) of monotonic instant 0; fixed for the process. */
const TIME_ORIGIN_MS = performance.timeOrigin;

/** Monotonic time in seconds, for measuring durations (never the wall clock). */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/**
 * The wall-clock time (ms since the epoch) of monotonic instant `seconds`: time origin plus
 * offset (the origin is read once: its getter costs more than the rest of this function).
 */
export function wallClockMs(seconds: number): number {
  return TIME_ORIGIN_MS + seconds * 1000;
}
