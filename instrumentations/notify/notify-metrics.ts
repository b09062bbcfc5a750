import type { Attributes, Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import type { NotifyMetricRow } from '../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../src/core/error-classification.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import { isRecordingEnabled } from '../../src/core/switch.js';
import type { NotifyFields, QueueDepthSink } from './notify-send.js';
import {
  ATTR_ERROR_TYPE,
  METRIC_NOTIFY_DELIVERIES,
  METRIC_NOTIFY_DURATION,
  METRIC_NOTIFY_QUEUE_DEPTH,
  METRIC_NOTIFY_RECIPIENTS,
  NOTIFY_TABLE,
} from './semconv.js';

/** The notify domain's instruments, and how a send lands on them and in `def_notify_metric`. */
export class NotifyMetrics
  implements OperationDomain<NotifyFields, NotifyMetricRow>, QueueDepthSink
{
  readonly name = 'notify';
  readonly readsMemory = false;
  readonly table = NOTIFY_TABLE;
  private duration!: Histogram;
  private recipients!: Counter;
  private deliveries!: Counter;
  private queue!: Gauge;

  /** Creates the notify instruments on `meter`, with `boundaries` for the duration histogram. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.duration = meter.createHistogram(METRIC_NOTIFY_DURATION, {
      description: 'Duration of notification sends, by outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: [...boundaries] },
    });
    this.recipients = meter.createCounter(METRIC_NOTIFY_RECIPIENTS, {
      description: 'Recipients addressed by notification sends that ended',
      unit: '{recipient}',
    });
    this.deliveries = meter.createCounter(METRIC_NOTIFY_DELIVERIES, {
      description: 'Per-recipient notification deliveries, delivered or failed',
      unit: '{delivery}',
    });
    this.queue = meter.createGauge(METRIC_NOTIFY_QUEUE_DEPTH, {
      description: 'Notifications waiting in a channel queue, as last reported',
      unit: '{notification}',
    });
  }

  /** Records a queue depth reading on the gauge. */
  queueDepth(attributes: Attributes, depth: number): void {
    if (isRecordingEnabled()) this.queue.record(depth, attributes);
  }

  /** Records an ended send on the duration histogram (its count: the sends) and the recipients and deliveries counters. */
  record(send: EndedOperation<NotifyFields>): void {
    const f = send.fields;
    const a = f.attributes;
    let attributes = a.success;
    if (!send.success) attributes = { ...a.failure, [ATTR_ERROR_TYPE]: send.errorType };
    else if (f.failed > 0) attributes = a.partial;
    this.duration.record(send.durationSeconds, attributes);
    const recipients = recipientCountOf(send);
    if (recipients > 0) this.recipients.add(recipients, a.base);
    if (send.items > 0) this.deliveries.add(send.items, a.delivered);
    if (f.failed > 0) this.deliveries.add(f.failed, a.failed);
  }

  /** The `def_notify_metric` row of an ended send. */
  toRow(send: EndedOperation<NotifyFields>): NotifyMetricRow {
    const f = send.fields;
    return {
      NotifyCode: f.code,
      Package: f.package,
      Channel: f.channel.toUpperCase(),
      RecipientCount: recipientCountOf(send),
      DeliveredCount: send.items,
      FailedCount: f.failed,
      ElapsedSeconds: send.durationSeconds,
      QueueDepth: f.queueDepth ?? null,
      OperationSuccess: send.success,
      ErrorMessage: send.success ? null : errorMessageOf(send.error),
    };
  }
}

/** Recipients of a send: the number given, or delivered + failed when that is larger. */
function recipientCountOf(send: EndedOperation<NotifyFields>): number {
  return Math.max(send.fields.recipients, send.items + send.fields.failed);
}
