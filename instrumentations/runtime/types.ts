import type { InstrumentationOptions } from '../../src/core/instrumentation-options.js';
import type { LifecycleConfig } from '../../src/core/lifecycle.js';

/**
 * Configuration of {@link RuntimeInstrumentation}. Every collector is on by default; set one to
 * `false` to create neither its instruments nor its callback. `stats` and `rows` are ignored
 * (runtime figures are not operations), so `new RuntimeInstrumentation(metrics)` works.
 */
export interface RuntimeInstrumentationConfig extends InstrumentationOptions, LifecycleConfig {
  /** Event-loop delay p50/p90/p99/min/max/mean/stddev from a sampling timer. Default true. */
  eventLoopDelay?: boolean;
  /** Event-loop utilization and active/idle time from `performance.eventLoopUtilization`. Default true. */
  eventLoopUtilization?: boolean;
  /** GC pause histogram from a `PerformanceObserver` on `gc` entries. Default true. */
  gc?: boolean;
  /** V8 heap used and reserved per heap space, and process RSS. Default true. */
  memory?: boolean;
  /** Process CPU time and utilization from `process.cpuUsage()`. Default true. */
  cpu?: boolean;
  /** Interval of the event-loop delay sampling timer, integer milliseconds >= 1. Default 10. */
  eventLoopDelayResolutionMs?: number;
  /** Bucket boundaries of `v8js.gc.duration`, seconds. Default {@link GC_DURATION_BUCKETS}. */
  gcBuckets?: readonly number[];
}
