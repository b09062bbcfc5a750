import type { RunOptions } from '../../src/core/measuring-instrumentation.js';
import { OperationHandle } from '../../src/core/operation-handle.js';
import type { OperationConfig, PackageOption } from '../../src/core/operation-instrumentation.js';
import type { SeriesFields } from '../../src/core/series-domain.js';
import type { NotifyMetrics } from './instrumentation.js';
import type { CHANNEL_VALUE_OTHER, NOTIFY_CHANNEL_VALUES } from './semconv.js';

/** A delivery channel known to opmeter; any other string is recorded as `other`. */
export type NotifyChannel = (typeof NOTIFY_CHANNEL_VALUES)[number] | typeof CHANNEL_VALUE_OTHER;

/**
 * Configuration of {@link NotifyInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of `notify.duration`: `'default'`
 * is {@link NOTIFY_DURATION_BUCKETS}, `'fine'` {@link NOTIFY_DURATION_BUCKETS_FINE}).
 */
export type NotifyInstrumentationConfig = OperationConfig;

/** Where a queue depth reading belongs: its `package` and channel. */
export interface QueueDepthOptions extends PackageOption {
  /** Channel of the queue (case-insensitive); unknown or missing channels become `other`. */
  channel?: string;
}

/** Options of one send started explicitly. */
export interface NotifyStartOptions extends QueueDepthOptions {
  /** Recipients addressed by the send (the `RecipientCount` column). Default 0. */
  recipients?: number;
  /** Depth of the channel's queue when the send started (the `QueueDepth` column and gauge). */
  queueDepth?: number;
}

/**
 * Options of a send by `run()` / `wrap()` / `@measure()`: start options plus `itemsOf`, which
 * derives the delivered recipients from the result (e.g. `(r) => r.accepted.length`).
 */
export type NotifyRunOptions<R = unknown> = NotifyStartOptions & RunOptions<R>;

/** Per-send fields of a notification operation: its series (code, package, channel) and counts. */
export interface NotifyFields extends SeriesFields {
  recipients: number;
  failed: number;
  queueDepth: number | undefined;
}

/**
 * One notification send in flight: report delivered and failed recipients, then `end()` or
 * `fail(error)`. The delivered count is the operation's items (what session statistics show).
 */
export class NotifySend extends OperationHandle<NotifyFields, NotifyMetrics> {
  /** Counts `count` recipients the notification reached (default 1). */
  delivered(count = 1): this {
    return this.addItems(count);
  }

  /** Counts `count` recipients the notification did not reach (default 1). */
  failed(count = 1): this {
    return this.addTo('failed', count);
  }

  /** Adds `count` recipients to the number the send addresses. */
  addRecipients(count: number): this {
    return this.addTo('recipients', count);
  }

  /** Records the depth of the channel's queue (the row's `QueueDepth` and the gauge). */
  queueDepth(depth: number): this {
    if (!this.isOpen('queue_depth')) return this;
    const { recorder, fields } = this;
    const group = recorder.domain.series.groupOf(fields.series.package, fields.series.extra);
    fields.queueDepth = recorder.domain.queueDepth(recorder.guard, depth, group);
    return this;
  }

  /** Delivered count so far. */
  get deliveredCount(): number {
    return this.items;
  }
}
