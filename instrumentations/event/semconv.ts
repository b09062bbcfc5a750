export {
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_SUCCESS,
} from '../../src/core/semconv.js';

/**
 * Histogram of event processing latency, in seconds, by outcome (Prometheus:
 * `event_processing_duration_seconds`; its `_count{outcome="success"}` is the events processed).
 */
export const METRIC_EVENT_PROCESSING_DURATION = 'event.processing.duration';
/** Counter of events that arrived, before any handling (Prometheus: `event_received_total`). */
export const METRIC_EVENT_RECEIVED = 'event.received';
/** Counter of events deliberately not processed (Prometheus: `event_ignored_total`). */
export const METRIC_EVENT_IGNORED = 'event.ignored';
/** Counter of events no handler exists for (Prometheus: `event_unhandled_total`). */
export const METRIC_EVENT_UNHANDLED = 'event.unhandled';
/** Counter of events whose handling failed, by `error.type` (Prometheus: `event_errors_total`). */
export const METRIC_EVENT_ERRORS = 'event.errors';
/** Observable gauge of events waiting in a queue (Prometheus: `event_queue_depth`). */
export const METRIC_EVENT_QUEUE_DEPTH = 'event.queue.depth';
/** Observable gauge of open client connections, e.g. websockets (Prometheus: `event_connections`). */
export const METRIC_EVENT_CONNECTIONS = 'event.connections';
/** Counter of missing sequence numbers, per stream (Prometheus: `event_sequence_gaps_total`). */
export const METRIC_EVENT_SEQUENCE_GAPS = 'event.sequence.gaps';
/** Counter of sequence numbers that did not follow the previous one, by outcome. */
export const METRIC_EVENT_SEQUENCE_ANOMALIES = 'event.sequence.anomalies';
/** Counter of sequence numbers not examined because the stream cap was reached. */
export const METRIC_EVENT_SEQUENCE_UNTRACKED = 'event.sequence.untracked';

/** The event type (`/live/track/renamed`, `order.created`); `_OTHER` past the cardinality cap. */
export const ATTR_EVENT_TYPE = 'event.type';
/** Name of the queue a depth is observed for. */
export const ATTR_EVENT_QUEUE = 'event.queue';
/** Kind of connection counted by `event.connections` (`websocket`, `sse`, …). */
export const ATTR_EVENT_CONNECTION_KIND = 'event.connection.kind';
/** The sequenced stream (UDP source, partition, channel) a sequence number belongs to. */
export const ATTR_EVENT_STREAM = 'event.stream';
/** What a sequence number was, relative to the highest one seen: one of `SEQUENCE_OUTCOME_VALUE_*`. */
export const ATTR_EVENT_SEQUENCE_OUTCOME = 'event.sequence.outcome';

/** `event.type` (and `error.type`) value that absorbs everything past the cardinality cap. */
export const EVENT_TYPE_VALUE_OTHER = '_OTHER';

/** The first sequence number seen on a stream: tracking starts there. Not counted. */
export const SEQUENCE_OUTCOME_VALUE_FIRST = 'first';
/** The number right after the highest seen. Not counted. */
export const SEQUENCE_OUTCOME_VALUE_IN_ORDER = 'in_order';
/** A jump forward: the skipped numbers are added to `event.sequence.gaps`. */
export const SEQUENCE_OUTCOME_VALUE_GAP = 'gap';
/** A number already seen (within the reorder window). */
export const SEQUENCE_OUTCOME_VALUE_DUPLICATE = 'duplicate';
/** A late number within the reorder window: it fills a gap counted earlier. */
export const SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER = 'out_of_order';
/** A number far behind (or far ahead): the sender restarted or wrapped; tracking restarts there. */
export const SEQUENCE_OUTCOME_VALUE_RESET = 'reset';
/** Not examined: recording is off, the stream cap was reached, or the number was invalid. */
export const SEQUENCE_OUTCOME_VALUE_UNTRACKED = 'untracked';

export { ADJUSTMENT_CARDINALITY_LIMIT } from '../../src/core/self-metrics.js';
/** `opmeter.reason` on `opmeter.input.adjusted` when a sequence number is not a non-negative integer. */
export const ADJUSTMENT_NOT_AN_INTEGER = 'not_an_integer';

/** Default cap on distinct event types; later types are recorded as `_OTHER`. */
export const DEFAULT_MAX_EVENT_TYPES = 1000;
/** Default cap on distinct `error.type` values kept per event type; later ones become `_OTHER`. */
export const DEFAULT_MAX_ERROR_TYPES = 32;
/** Default cap on sequenced streams tracked; numbers of later streams are counted as untracked. */
export const DEFAULT_MAX_STREAMS = 1000;
/** Default largest forward jump counted as a gap; a larger jump is a reset (sender restarted). */
export const DEFAULT_MAX_SEQUENCE_GAP = 100_000;
/** How far behind the highest number a late or duplicate number is still recognised. */
export const SEQUENCE_REORDER_WINDOW = 32;
