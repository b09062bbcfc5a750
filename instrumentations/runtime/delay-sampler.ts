import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

const NS_PER_MS = 1e6;

/**
 * Measures event-loop delay with an unref'd interval timer: each tick records how late it fired
 * (nanoseconds, at least 1) into a native `RecordableHistogram`. Unlike
 * `monitorEventLoopDelay()`, whose `reset()` also restarts its clock (so a stall overlapping a
 * collection is lost: exactly the stall that delays a scrape), the clock here lives outside the
 * histogram, and {@link reset} only clears the recorded values.
 */
export class DelaySampler {
  /** Delays recorded since the last reset, in nanoseconds. */
  readonly histogram: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;

  /** Creates a sampler ticking every `resolutionMs` once started. */
  constructor(private readonly resolutionMs: number) {}

  /** Starts ticking (does not keep the process alive); idempotent. */
  start(): void {
    if (this.timer !== undefined) return;
    this.expectedAt = performance.now() + this.resolutionMs;
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  /** Stops ticking and forgets the recorded values. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.reset();
  }

  /** Forgets the recorded values; the timer keeps its schedule. */
  reset(): void {
    this.histogram.reset();
  }

  private tick(): void {
    const now = performance.now();
    const lateNs = Math.round((now - this.expectedAt) * NS_PER_MS);
    this.histogram.record(Math.max(1, lateNs));
    this.expectedAt = now + this.resolutionMs;
  }
}
