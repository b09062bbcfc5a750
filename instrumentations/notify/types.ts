import type { OperationConfig } from '../../src/core/operation-instrumentation.js';
import type { ItemsOf } from '../../src/core/operation-recorder.js';

/** A delivery channel known to opmeter; any other string is recorded as `other`. */
export type NotifyChannel = 'email' | 'sms' | 'push' | 'webhook' | 'other';

/**
 * Configuration of {@link NotifyInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of `notify.duration`: `'default'`
 * is {@link NOTIFY_DURATION_BUCKETS}, `'fine'` {@link NOTIFY_DURATION_BUCKETS_FINE}).
 */
export type NotifyInstrumentationConfig = OperationConfig;

/** Options of one send started explicitly. */
export interface NotifyStartOptions {
  /** Delivery channel (case-insensitive); unknown or missing channels become `other`. */
  channel?: string;
  /** Package (tenant or product) of the notification. Default: the instrumentation's default. */
  package?: string;
  /** Recipients addressed by the send (the `RecipientCount` column). Default 0. */
  recipients?: number;
  /** Depth of the channel's queue when the send started (the `QueueDepth` column and gauge). */
  queueDepth?: number;
}

/** Options of a send by `run()` / `wrap()` / `@measure()`: start options plus `itemsOf`. */
export interface NotifyRunOptions<R = unknown> extends NotifyStartOptions {
  /**
   * Derives the number of delivered recipients from the result of a wrapped function,
   * e.g. `(r) => r.accepted.length`; added to the send's delivered count.
   */
  itemsOf?: ItemsOf<R>;
}

/** Where a queue depth reading belongs. */
export interface QueueDepthOptions {
  /** Channel of the queue (case-insensitive); unknown or missing channels become `other`. */
  channel?: string;
  /** Package of the queue. Default: the instrumentation's default. */
  package?: string;
}
