import type { Attributes, Counter, Gauge, Meter } from '@opentelemetry/api';
import { NOTIFY_DURATION_PRESETS } from '../../src/core/buckets.js';
import { NOTIFY_METRIC_LENGTHS, type NotifyMetricRow } from '../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../src/core/error-classification.js';
import type { InputGuard } from '../../src/core/input-guard.js';
import { knownValueOf } from '../../src/core/known-value.js';
import type { EndedOperation } from '../../src/core/operation-domain.js';
import {
  OperationSeriesCache,
  OUTCOME_VALUES,
  type SeriesKeys,
} from '../../src/core/operation-series.js';
import { readSafely } from '../../src/core/safe-read.js';
import { SeriesDomain } from '../../src/core/series-domain.js';
import { SeriesInstrumentation } from '../../src/core/series-instrumentation.js';
import { isRecordingEnabled } from '../../src/core/switch.js';
import {
  type NotifyChannel,
  type NotifyFields,
  type NotifyInstrumentationConfig,
  NotifySend,
  type NotifyStartOptions,
  type QueueDepthOptions,
} from './notify-send.js';
import {
  ATTR_NOTIFY_CHANNEL,
  ATTR_NOTIFY_CODE,
  CHANNEL_VALUE_OTHER,
  ATTR_NOTIFY_DELIVERY_OUTCOME as DELIVERY,
  DELIVERY_OUTCOME_VALUE_DELIVERED,
  DELIVERY_OUTCOME_VALUE_FAILED,
  METRIC_NOTIFY_DELIVERIES,
  METRIC_NOTIFY_DURATION,
  METRIC_NOTIFY_QUEUE_DEPTH,
  METRIC_NOTIFY_RECIPIENTS,
  NOTIFY_CHANNEL_VALUES,
  NOTIFY_TABLE,
  OUTCOME_VALUE_PARTIAL,
} from './semconv.js';

/** Distinct (code, package, channel) sets kept; past it, attribute objects are built per send. */
export const MAX_CACHED_ATTRIBUTE_SETS = 1024;

/** The `notify.channel` value of `channel`: a known channel (case-insensitive) or `other`. */
export function channelOf(channel: unknown): NotifyChannel {
  return knownValueOf(NOTIFY_CHANNEL_VALUES, channel) ?? CHANNEL_VALUE_OTHER;
}

/** The notify domain's instruments, and how a send lands on them and in `def_notify_metric`. */
export class NotifyMetrics extends SeriesDomain<NotifyFields, NotifyMetricRow> {
  private recipients!: Counter;
  private deliveries!: Counter;
  private queue!: Gauge;

  /** Describes the notify domain. */
  constructor() {
    super('notify', {
      table: NOTIFY_TABLE,
      series: new OperationSeriesCache(NOTIFY_SERIES_KEYS, MAX_CACHED_ATTRIBUTE_SETS),
      duration: [METRIC_NOTIFY_DURATION, 'Duration of notification sends, by outcome'],
    });
  }

  /** Records `depth` (checked by `guard`) of the queue of `group` (package, channel); returns what it kept. */
  queueDepth(guard: InputGuard, depth: number, group: Attributes): number {
    const safe = guard.nonNegative(depth, 'queue_depth');
    if (isRecordingEnabled()) this.queue.record(safe, group);
    return safe;
  }

  /** The `def_notify_metric` row of an ended send. */
  toRow(send: EndedOperation<NotifyFields>): NotifyMetricRow {
    const { series, failed, queueDepth } = send.fields;
    return {
      NotifyCode: series.code,
      Package: series.package,
      Channel: series.extra.toUpperCase(),
      RecipientCount: recipientCountOf(send),
      DeliveredCount: send.items,
      FailedCount: failed,
      ElapsedSeconds: send.durationSeconds,
      QueueDepth: queueDepth ?? null,
      OperationSuccess: send.success,
      ErrorMessage: send.success ? null : errorMessageOf(send.error),
    };
  }

  protected bindInstruments(meter: Meter): void {
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

  protected override isPartial(send: EndedOperation<NotifyFields>): boolean {
    return send.fields.failed > 0;
  }

  protected override recordCounts(send: EndedOperation<NotifyFields>): void {
    const { series, failed } = send.fields;
    const recipients = recipientCountOf(send);
    if (recipients > 0) this.recipients.add(recipients, series.attributes);
    if (send.items > 0) {
      this.deliveries.add(send.items, series.with(DELIVERY, DELIVERY_OUTCOME_VALUE_DELIVERED));
    }
    if (failed > 0)
      this.deliveries.add(failed, series.with(DELIVERY, DELIVERY_OUTCOME_VALUE_FAILED));
  }
}

/** A notify series: code, package and channel, cut to the `def_notify_metric` columns. */
const NOTIFY_SERIES_KEYS: SeriesKeys = {
  code: ATTR_NOTIFY_CODE,
  extra: ATTR_NOTIFY_CHANNEL,
  outcomes: { ...OUTCOME_VALUES, partial: OUTCOME_VALUE_PARTIAL },
  codeLength: NOTIFY_METRIC_LENGTHS.NotifyCode,
  packageLength: NOTIFY_METRIC_LENGTHS.Package,
};

/** Recipients of a send: the number given, or delivered + failed when that is larger. */
function recipientCountOf(send: EndedOperation<NotifyFields>): number {
  return Math.max(send.fields.recipients, send.items + send.fields.failed);
}

/**
 * Measures notification sends: duration by notify code and channel, outcome, recipients,
 * delivered and failed counts, queue depth, and a `def_notify_metric` row per send.
 *
 * @example
 * const notify = new NotifyInstrumentation(metrics);
 * await notify.run('WELCOME', async (send) => { await mailer.send(to); send.delivered(to.length); },
 *   { channel: 'email', package: 'crm', recipients: to.length });
 */
export class NotifyInstrumentation extends SeriesInstrumentation<
  NotifyFields,
  NotifySend,
  NotifyStartOptions,
  NotifyInstrumentationConfig,
  NotifyMetrics
> {
  /** Creates the notify instruments; invalid bucket or SLO lists throw here. */
  constructor(config: NotifyInstrumentationConfig = {}) {
    super(new NotifyMetrics(), NOTIFY_DURATION_PRESETS, config);
  }

  /** Records the depth of a channel's queue on the `notify.queue.depth` gauge. */
  recordQueueDepth(depth: number, options?: QueueDepthOptions): void {
    const guard = this.recorder.guard;
    const group = readSafely(guard, 'options', this.queueOf, this, undefined, options);
    this.metrics.queueDepth(guard, depth, group);
  }

  /** The fields of a send of `code` started with `options` (`queueDepth` as given, checked later). */
  protected fieldsOf(code: string, options: NotifyStartOptions | undefined): NotifyFields {
    const series = this.seriesOf(code, options?.package, channelOf(options?.channel));
    const recipients = this.recorder.guard.nonNegative(options?.recipients ?? 0, 'recipients');
    return { series, recipients, failed: 0, queueDepth: options?.queueDepth };
  }

  /** The handle of a send, its start queue depth recorded. */
  protected handleOf(fields: NotifyFields): NotifySend {
    const send = new NotifySend(this.recorder, fields.series.code, fields);
    return fields.queueDepth === undefined ? send : send.queueDepth(fields.queueDepth);
  }

  /** The (package, channel) set a queue depth reading with `options` is recorded under. */
  private queueOf(_: undefined, options: QueueDepthOptions | undefined): Attributes {
    const pkg = this.packageOf(options?.package);
    return this.metrics.series.groupOf(pkg, channelOf(options?.channel));
  }
}
