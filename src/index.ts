export {
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_FILE_DURATION_BUCKETS_FINE,
  BUCKET_PRESETS,
  type BucketPreset,
  DEFAULT_BUCKET_BUDGET,
  type DurationBuckets,
  EVENT_DURATION_BUCKETS,
  EVENT_DURATION_BUCKETS_FINE,
  HTTP_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS_FINE,
  InvalidBucketsError,
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_DURATION_BUCKETS_FINE,
  validateBoundaries,
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS_FINE,
  withSloBoundaries,
} from './core/buckets.js';
export { monotonicSeconds } from './core/clock.js';
export { type MeasuredCall, type MethodDecorator, measuringDecorator } from './core/decorate.js';
export {
  ERROR_TYPE_OTHER,
  ErrorCategory,
  errorCategoryOf,
  errorMessageOf,
  errorTypeOf,
  safeErrorType,
  UNREADABLE_ERROR_MESSAGE,
} from './core/error-classification.js';
export { InputGuard, MAX_ATTRIBUTE_VALUE_LENGTH } from './core/input-guard.js';
export { type InstrumentationOptions, meterFor } from './core/instrumentation-options.js';
export { RSS_READING_REUSE_SECONDS, residentMemoryMB } from './core/memory-reader.js';
export type { EndedOperation, OperationDomain } from './core/operation-domain.js';
export { type MeasuredOutcome, OperationHandle } from './core/operation-handle.js';
export { type ItemsOf, OperationRecorder } from './core/operation-recorder.js';
export type { OperationTarget, TargetOptions } from './core/operation-targets.js';
export type { DefMetricRow, RowSink } from './core/row-sink.js';
export * from './core/self-metrics.js';
export { isRecordingEnabled, setRecordingEnabled } from './core/switch.js';
export type { OperationStatsSnapshot } from './stats/operation-stats.js';
export { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from './stats/quantile-sketch.js';
export {
  OVERFLOW_OPERATION,
  SessionStats,
  type SessionStatsOptions,
  type SessionStatsSnapshot,
  type SessionTotals,
} from './stats/session-stats.js';
export { formatSeconds, formatStatsTable } from './stats/stats-table.js';
export { VERSION } from './version.js';
