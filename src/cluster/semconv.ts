/** `type` of a delta report a worker sends to the primary. */
export const MESSAGE_DELTA = 'opmeter.cluster.delta';
/**
 * `type` of the primary's answer to each delta report, sent back to its worker: merged, or refused
 * (`unknown` ids: start a new epoch; `too_large`: the primary's `maxMessageBytes`), so the worker
 * knows which descriptions the primary holds and which deltas it must send again.
 */
export const MESSAGE_ANSWER = 'opmeter.cluster.answer';
/** `type` of the primary's request for a worker's session statistics. */
export const MESSAGE_STATS_REQUEST = 'opmeter.cluster.stats.request';
/** `type` of a worker's answer to {@link MESSAGE_STATS_REQUEST}. */
export const MESSAGE_STATS_REPLY = 'opmeter.cluster.stats.reply';
/** Version of the wire format; a report of another version is refused. */
export const WIRE_VERSION = 3;
/** Name of the BroadcastChannel worker threads report on: only the primary keeps it open. */
export const THREAD_CHANNEL = 'opmeter.cluster';
/** Name of the BroadcastChannel the primary sends requests to worker threads on. */
export const THREAD_REQUEST_CHANNEL = 'opmeter.cluster.requests';
/** Prefix of the BroadcastChannel the primary answers one worker thread's reports on (`<prefix><source>`). */
export const THREAD_ANSWER_CHANNEL = 'opmeter.cluster.answers:';

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
/** Reason: a report that is not a valid message of this wire version. */
export const REASON_MALFORMED = 'malformed';
/** Reason: a report longer than `maxMessageBytes`. */
export const REASON_TOO_LARGE = 'too_large';
/** Reason: a report referring to metric or series ids the primary does not hold (it restarted, or dropped a silent worker's ids); refused whole, the worker sends its deltas again in a new epoch. */
export const REASON_UNKNOWN = 'unknown';
/** Reason: a new series beyond `maxSeriesPerMetric`, merged into the overflow series. */
export const REASON_OVERFLOW = 'overflow';

/** Attribute of the overflow series, as the OTel SDK names it. */
export const ATTR_METRIC_OVERFLOW = 'otel.metric.overflow';
