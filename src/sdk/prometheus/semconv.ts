/** Histogram of scrape durations in seconds, from request to the last byte handed to the socket. */
export const METRIC_SCRAPE_DURATION = 'opmeter.prometheus.scrape.duration';
/** Gauge: bytes of the last scrape body sent, per format and encoding (after gzip when gzipped). */
export const METRIC_SCRAPE_BODY_SIZE = 'opmeter.prometheus.scrape.body.size';
/** Gauge: sample lines in the last rendering, per format (each bucket line counts as a series). */
export const METRIC_SCRAPE_SERIES = 'opmeter.prometheus.scrape.series';
/** Counter of changes made so the exposition stays valid, by `opmeter.reason` (`ADJUSTMENT_*`). */
export const METRIC_EXPOSITION_ADJUSTED = 'opmeter.prometheus.exposition.adjusted';

/** Attribute: the exposition format served, `text` (0.0.4) or `openmetrics` (1.0.0). */
export const ATTR_PROMETHEUS_FORMAT = 'opmeter.prometheus.format';
/** Attribute: the content coding of the body, `gzip` or `identity`. */
export const ATTR_PROMETHEUS_ENCODING = 'opmeter.prometheus.encoding';
/** Attribute: how the scrape ended, one of the `OUTCOME_*` values. */
export const ATTR_PROMETHEUS_OUTCOME = 'opmeter.prometheus.outcome';

/** The scrape was answered 200. */
export const OUTCOME_OK = 'ok';
/** Collection and rendering did not finish within the timeout (answered 503). */
export const OUTCOME_TIMEOUT = 'timeout';
/** Too many scrapes were in flight (answered 503 with Retry-After). */
export const OUTCOME_REJECTED = 'rejected';
/** Collection failed (answered 500). */
export const OUTCOME_ERROR = 'error';
/** The client went away before the answer was complete. */
export const OUTCOME_ABORTED = 'aborted';

/** Attribute keys that collided after sanitising; their values were joined with `;` (per series). */
export const ADJUSTMENT_LABEL_COLLISION = 'label_collision';
/** A metric whose Prometheus names clash with an earlier family was left out (per instrument). */
export const ADJUSTMENT_FAMILY_COLLISION = 'family_collision';
/** A metric whose name has no character a Prometheus name can use was left out (per instrument). */
export const ADJUSTMENT_INVALID_NAME = 'invalid_name';
/** A metric of a type Prometheus cannot serve was left out (per instrument). */
export const ADJUSTMENT_UNSUPPORTED_TYPE = 'unsupported_type';
/** A series whose labels equal an earlier one's in the same family was left out (per scrape). */
export const ADJUSTMENT_DUPLICATE_SERIES = 'duplicate_series';
