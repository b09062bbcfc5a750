/**
 * opmeter's public entry point: what applications use next to the instrumentations — the shared
 * configuration types, the bucket presets, the names opmeter records, the row types, session
 * statistics and the recording switch. The machinery the instrumentations are built from
 * (recorder, guard, caches, sketch) is in `opmeter/internal`.
 */
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
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS_FINE,
} from './core/buckets.js';
export { OpmeterConfigError } from './core/config-error.js';
export type * from './core/def-metric-rows.js';
export { ERROR_TYPE_OTHER, ErrorCategory } from './core/error-classification.js';
export type { InstrumentationOptions } from './core/instrumentation-options.js';
export type { LifecycleConfig } from './core/lifecycle.js';
export type { RunOptions } from './core/measuring-instrumentation.js';
export type { MeasuredOutcome, OperationHandle } from './core/operation-handle.js';
export type { OperationConfig } from './core/operation-instrumentation.js';
export type { ItemsOf } from './core/operation-recorder.js';
export type { DefMetricRow, RowSink } from './core/row-sink.js';
export * from './core/self-metrics.js';
export * from './core/semconv.js';
export { isRecordingEnabled, setRecordingEnabled } from './core/switch.js';
export type { OperationStatsSnapshot } from './stats/operation-stats.js';
export {
  OVERFLOW_OPERATION,
  SessionStats,
  type SessionStatsOptions,
  type SessionStatsSnapshot,
  type SessionTotals,
} from './stats/session-stats.js';
export { VERSION } from './version.js';
