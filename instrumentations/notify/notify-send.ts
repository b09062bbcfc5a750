import type { Attributes } from '@opentelemetry/api';
import { OperationHandle } from '../../src/core/operation-handle.js';
import type { OperationRecorder } from '../../src/core/operation-recorder.js';
import type { NotifyAttributes } from './attribute-cache.js';
import type { NotifyChannel } from './types.js';

/** Per-send fields of a notification operation. */
export interface NotifyFields {
  readonly code: string;
  readonly package: string;
  readonly channel: NotifyChannel;
  /** The cached attribute objects of (code, package, channel). */
  readonly attributes: NotifyAttributes;
  recipients: number;
  failed: number;
  queueDepth: number | undefined;
}

/** Receives queue depth readings as a send reports them. */
export interface QueueDepthSink {
  /** Records `depth` on the queue gauge with `attributes` (`package`, `notify.channel`). */
  queueDepth(attributes: Attributes, depth: number): void;
}

/**
 * One notification send in flight: report delivered and failed recipients, then `end()` or
 * `fail(error)`. The delivered count is the operation's items (what session statistics show).
 */
export class NotifySend extends OperationHandle<NotifyFields> {
  /** Starts measuring a send of notify `code`. */
  constructor(
    recorder: OperationRecorder<NotifyFields>,
    code: string,
    fields: NotifyFields,
    private readonly queue: QueueDepthSink,
  ) {
    super(recorder, code, fields);
  }

  /** Counts `count` recipients the notification reached (default 1). */
  delivered(count = 1): this {
    return this.addItems(count);
  }

  /** Counts `count` recipients the notification did not reach (default 1). */
  failed(count = 1): this {
    this.fields.failed += this.recorder.guard.nonNegative(count, 'failed');
    return this;
  }

  /** Adds `count` recipients to the number the send addresses. */
  addRecipients(count: number): this {
    this.fields.recipients += this.recorder.guard.nonNegative(count, 'recipients');
    return this;
  }

  /** Records the depth of the channel's queue (the row's `QueueDepth` and the gauge). */
  queueDepth(depth: number): this {
    const safe = this.recorder.guard.nonNegative(depth, 'queue_depth');
    this.fields.queueDepth = safe;
    this.queue.queueDepth(this.fields.attributes.queue, safe);
    return this;
  }

  /** Delivered count so far. */
  get deliveredCount(): number {
    return this.items;
  }
}
