/** `type` of a delta report a worker sends to the primary. */
export const MESSAGE_DELTA = 'opmeter.cluster.delta';
/** `type` of the primary's request for a worker's session statistics. */
export const MESSAGE_STATS_REQUEST = 'opmeter.cluster.stats.request';
/** `type` of a worker's answer to {@link MESSAGE_STATS_REQUEST}. */
export const MESSAGE_STATS_REPLY = 'opmeter.cluster.stats.reply';
/** Version of the wire format; a report of another version is refused. */
export const WIRE_VERSION = 2;
/** Name of the BroadcastChannel worker threads report on: only the primary keeps it open. */
export const THREAD_CHANNEL = 'opmeter.cluster';
/** Name of the BroadcastChannel the primary sends requests to worker threads on. */
export const THREAD_REQUEST_CHANNEL = 'opmeter.cluster.requests';

/** Meter of the aggregation's self-metrics. */
export const CLUSTER_METER_NAME = 'opmeter/cluster';
/** Gauge: workers (processes and threads) that reported within three intervals. */
export const METRIC_CLUSTER_WORKERS = 'opmeter.cluster.workers';
/** Gauge: seconds since each reporting worker's last report. */
export const METRIC_CLUSTER_REPORT_AGE = 'opmeter.cluster.report.age';
/** Counter: delta reports merged. */
export const METRIC_CLUSTER_REPORTS = 'opmeter.cluster.reports';
/** Counter: bytes of delta reports received (their JSON length, as the worker measured it). */
export const METRIC_CLUSTER_IPC_BYTES = 'opmeter.cluster.ipc.bytes';
/** Counter: data points or reports not merged, by `opmeter.cluster.reason`. */
export const METRIC_CLUSTER_REFUSED = 'opmeter.cluster.refused';
/** Attribute: the worker a report age belongs to (`process:<pid>` or `thread:<pid>/<threadId>`). */
export const ATTR_CLUSTER_WORKER = 'opmeter.cluster.worker';
/** Attribute: why something was refused. */
export const ATTR_CLUSTER_REASON = 'opmeter.cluster.reason';

/** Reason: a histogram's bucket boundaries differ from the merged series'. */
export const REASON_BOUNDARIES = 'boundaries';
/** Reason: the same metric name arrived with another kind, unit or monotonicity. */
export const REASON_CONFLICT = 'conflict';
/** Reason: a data point type the merge does not support (exponential histograms). */
export const REASON_UNSUPPORTED = 'unsupported';
/** Reason: a report that is not a valid message of this wire version. */
export const REASON_MALFORMED = 'malformed';
/** Reason: a report longer than `maxMessageBytes`. */
export const REASON_TOO_LARGE = 'too_large';
/** Reason: points of a metric or series whose description the primary did not receive (a report refused or lost, a worker that reported before the primary started); described again in the worker's next epoch. */
export const REASON_UNKNOWN = 'unknown';
/** Reason: a new series beyond `maxSeriesPerMetric`, merged into the overflow series. */
export const REASON_OVERFLOW = 'overflow';

/** Attribute of the overflow series, as the OTel SDK names it. */
export const ATTR_METRIC_OVERFLOW = 'otel.metric.overflow';
