export {
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_FILE_DURATION_BUCKETS_FINE,
  type BucketPreset,
  type DurationBuckets,
} from '../../src/core/buckets.js';
export type { BatchFileFields, BatchFileOwner, EndedBatchFile } from './batch-file.js';
export { BatchFile } from './batch-file.js';
export { BatchJob } from './batch-job.js';
export { BATCH_CSV_COLUMNS, type BatchCsv, batchToCsv, parseBatchCsv } from './export-csv.js';
export {
  BATCH_EXPORT_FORMAT,
  BATCH_EXPORT_VERSION,
  type BatchExport,
  type BatchExportDocument,
  batchDocument,
  batchToJson,
  parseBatchJson,
} from './export-json.js';
export { MAX_RECORD_MESSAGE_LENGTH } from './file-outcome.js';
export { formatBatchSummary } from './format.js';
export { batchFromCsv, parseBatchExport } from './import.js';
export { BatchInstrumentation } from './instrumentation.js';
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  formatProgress,
  type ProgressOptions,
  type ProgressStream,
} from './progress.js';
export {
  BATCH_FILE_STATUSES,
  type BatchFileRecord,
  type BatchInfo,
  isBatchFileStatus,
} from './records.js';
export * from './semconv.js';
export { BatchFormatError } from './shape.js';
export {
  BatchAccumulator,
  type BatchSummary,
  DEFAULT_MAX_RETAINED_FILES,
  MAX_ERROR_TYPES,
  spanSecondsOf,
  summarizeFiles,
} from './summary.js';
export { medianOf, type TimingFigures } from './timing.js';
export type {
  BatchFileOptions,
  BatchFileResult,
  BatchFileRunOptions,
  BatchFileStatus,
  BatchInstrumentationConfig,
  BatchStartOptions,
} from './types.js';
