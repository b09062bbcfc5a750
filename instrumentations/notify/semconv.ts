/** Histogram of notification send durations, in seconds (Prometheus: `notify_duration_seconds`). */
export const METRIC_NOTIFY_DURATION = 'notify.duration';
/** Counter of finished sends, by outcome (Prometheus: `notify_sends_total`). */
export const METRIC_NOTIFY_SENDS = 'notify.sends';
/** Counter of recipients addressed by finished sends (Prometheus: `notify_recipients_total`). */
export const METRIC_NOTIFY_RECIPIENTS = 'notify.recipients';
/** Counter of per-recipient deliveries, by delivery outcome (Prometheus: `notify_deliveries_total`). */
export const METRIC_NOTIFY_DELIVERIES = 'notify.deliveries';
/** Gauge of notifications waiting in a channel's queue (Prometheus: `notify_queue_depth`). */
export const METRIC_NOTIFY_QUEUE_DEPTH = 'notify.queue.depth';

/** The notify code (`WELCOME_EMAIL`). */
export const ATTR_NOTIFY_CODE = 'notify.code';
/** Package (tenant or product) the notification belongs to. */
export const ATTR_PACKAGE = 'package';
/** Delivery channel: one of the `CHANNEL_VALUE_*` values. */
export const ATTR_NOTIFY_CHANNEL = 'notify.channel';
/** Outcome of a send: `success`, `partial` or `failure`. */
export const ATTR_OUTCOME = 'outcome';
/** Outcome of one recipient's delivery: `delivered` or `failed`. */
export const ATTR_NOTIFY_DELIVERY_OUTCOME = 'notify.delivery.outcome';
/** Low-cardinality error class or code of a failed send (OTel `error.type`). */
export const ATTR_ERROR_TYPE = 'error.type';

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

/** `outcome` of a send that ended well with no failed recipient. */
export const OUTCOME_VALUE_SUCCESS = 'success';
/** `outcome` of a send that ended well but reported at least one failed recipient. */
export const OUTCOME_VALUE_PARTIAL = 'partial';
/** `outcome` of a send that threw or was ended with `fail()`. */
export const OUTCOME_VALUE_FAILURE = 'failure';
/** `notify.delivery.outcome` of a recipient the notification reached. */
export const DELIVERY_OUTCOME_VALUE_DELIVERED = 'delivered';
/** `notify.delivery.outcome` of a recipient the notification did not reach. */
export const DELIVERY_OUTCOME_VALUE_FAILED = 'failed';

/** The def_metric table of notification sends. */
export const NOTIFY_TABLE = 'def_notify_metric';
/** Package used when a send names none. */
export const DEFAULT_PACKAGE = 'default';
