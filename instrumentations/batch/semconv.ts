export { ATTR_ERROR_TYPE, ATTR_PACKAGE, DEFAULT_PACKAGE } from '../../src/core/semconv.js';

/** Histogram of per-file processing durations, in seconds, by status (Prometheus: `batch_file_duration_seconds`, its `_count` the files). */
export const METRIC_BATCH_FILE_DURATION = 'batch.file.duration';
/** Counter of samples processed, by file status (Prometheus: `batch_samples_total`). */
export const METRIC_BATCH_SAMPLES = 'batch.samples';
/** Counter of measurements computed, by file status (Prometheus: `batch_measurements_total`). */
export const METRIC_BATCH_MEASUREMENTS = 'batch.measurements';
/** Counter of bytes read, by file status (Prometheus: `batch_bytes_total`). */
export const METRIC_BATCH_BYTES = 'batch.bytes';

/** The batch code: the kind of job (`NIGHTLY_WAVEFORMS`), never a per-run id. */
export const ATTR_BATCH_CODE = 'batch.code';
/** Status of a file: `success`, `error` or `skipped`. */
export const ATTR_BATCH_FILE_STATUS = 'batch.file.status';

/** `batch.file.status` of a file processed without error. */
export const FILE_STATUS_VALUE_SUCCESS = 'success';
/** `batch.file.status` of a file whose processing failed. */
export const FILE_STATUS_VALUE_ERROR = 'error';
/** `batch.file.status` of a file the job decided not to process. */
export const FILE_STATUS_VALUE_SKIPPED = 'skipped';

/** Reason counted on `opmeter.input.adjusted` when a status is not one of the three values. */
export const ADJUSTMENT_UNKNOWN_STATUS = 'unknown_status';

/** The def_metric table of batch files (declared on the generic module template). */
export const BATCH_TABLE = 'def_batch_metric';
/** `OperationName` of every row: one row per file. */
export const BATCH_OPERATION_FILE = 'file';
