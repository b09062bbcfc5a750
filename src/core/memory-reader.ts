import { monotonicSeconds } from './clock.js';

const BYTES_PER_MB = 1024 * 1024;

/** How long one RSS reading is reused by operations that end close together, in seconds. */
export const RSS_READING_REUSE_SECONDS = 0.05;

let lastReadAt = Number.NEGATIVE_INFINITY;
let lastRssMB = 0;

/**
 * Process resident set size in MB, read at most once per {@link RSS_READING_REUSE_SECONDS}:
 * a read is a system call that costs more than recording a whole operation, so operations ending
 * within the same 50 ms share one reading. Pass `now` (monotonic seconds) when the caller has it.
 */
export function residentMemoryMB(now = monotonicSeconds()): number {
  if (now - lastReadAt >= RSS_READING_REUSE_SECONDS) {
    lastRssMB = process.memoryUsage.rss() / BYTES_PER_MB;
    lastReadAt = now;
  }
  return lastRssMB;
}
