export * from '../../src/core/semconv.js';

/** Histogram of notification send durations, in seconds, by outcome (`success`, `partial`, `failure`; Prometheus: `notify_duration_seconds`, its `_count` the sends). */
export const METRIC_NOTIFY_DURATION = 'notify.duration';
/** Counter of recipients addressed by finished sends (Prometheus: `notify_recipients_total`). */
export const METRIC_NOTIFY_RECIPIENTS = 'notify.recipients';
/** Counter of per-recipient deliveries, by delivery outcome (Prometheus: `notify_deliveries_total`). */
export const METRIC_NOTIFY_DELIVERIES = 'notify.deliveries';
/** Gauge of notifications waiting in a channel's queue (Prometheus: `notify_queue_depth`). */
export const METRIC_NOTIFY_QUEUE_DEPTH = 'notify.queue.depth';

/** The notify code (`WELCOME_EMAIL`). */
export const ATTR_NOTIFY_CODE = 'notify.code';
/** Delivery channel: one of the `CHANNEL_VALUE_*` values. */
export const ATTR_NOTIFY_CHANNEL = 'notify.channel';
/** Outcome of one recipient's delivery: `delivered` or `failed`. */
export const ATTR_NOTIFY_DELIVERY_OUTCOME = 'notify.delivery.outcome';

/** `notify.channel` of e-mail. */
export const CHANNEL_VALUE_EMAIL = 'email';
/** `notify.channel` of SMS / text messages. */
export const CHANNEL_VALUE_SMS = 'sms';
/** `notify.channel` of mobile or browser push notifications. */
export const CHANNEL_VALUE_PUSH = 'push';
/** `notify.channel` of outgoing webhooks. */
export const CHANNEL_VALUE_WEBHOOK = 'webhook';
/** `notify.channel` of any channel not listed above (and of a send that names none). */
export const CHANNEL_VALUE_OTHER = 'other';
/** The known `notify.channel` values, matched case-insensitively; any other is `other`. */
export const NOTIFY_CHANNEL_VALUES = Object.freeze(['email', 'sms', 'push', 'webhook'] as const);

/** `outcome` of a send that ended well but reported at least one failed recipient. */
export const OUTCOME_VALUE_PARTIAL = 'partial';
/** `notify.delivery.outcome` of a recipient the notification reached. */
export const DELIVERY_OUTCOME_VALUE_DELIVERED = 'delivered';
/** `notify.delivery.outcome` of a recipient the notification did not reach. */
export const DELIVERY_OUTCOME_VALUE_FAILED = 'failed';

/** The def_metric table of notification sends. */
export const NOTIFY_TABLE = 'def_notify_metric';
