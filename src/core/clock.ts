import { performance } from 'node:perf_hooks';

/** Monotonic time in seconds, for measuring durations (never the wall clock). */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}
