/**
 * `opmeter/internal`: the machinery opmeter's own subpaths are built from — the operation
 * recorder and its handle, the lifecycle and operation bases, the input guard, the bounded caches,
 * the in-flight tracker and the quantile sketch. Not covered by semver: applications use `opmeter`
 * and the instrumentation subpaths.
 */
export {
  type BucketPresets,
  presets,
  r10Series,
  resolveBuckets,
  validateBoundaries,
  withSloBoundaries,
} from './core/buckets.js';
export { monotonicSeconds } from './core/clock.js';
export { positiveInteger } from './core/config-validation.js';
export { type MeasuredCall, type MethodDecorator, measuringDecorator } from './core/decorate.js';
export {
  errorCategoryOf,
  errorMessageOf,
  errorTypeOf,
  safeErrorType,
  UNREADABLE_ERROR_MESSAGE,
} from './core/error-classification.js';
export {
  type InFlightEntry,
  InFlightSeries,
  type InFlightSpec,
  InFlightTracker,
  MAX_IN_FLIGHT_SERIES,
} from './core/in-flight.js';
export { InputGuard, MAX_ATTRIBUTE_VALUE_LENGTH } from './core/input-guard.js';
export { meterFor } from './core/instrumentation-options.js';
export { MeteredInstrumentation } from './core/lifecycle.js';
export { MeasuringInstrumentation } from './core/measuring-instrumentation.js';
export { RSS_READING_REUSE_SECONDS, residentMemoryMB } from './core/memory-reader.js';
export type {
  EndedOperation,
  FailedOperation,
  OperationDomain,
  SucceededOperation,
} from './core/operation-domain.js';
export { OperationHandle } from './core/operation-handle.js';
export { OperationInstrumentation } from './core/operation-instrumentation.js';
export { OperationRecorder } from './core/operation-recorder.js';
export {
  OperationSeries,
  OperationSeriesCache,
  type OutcomeValues,
  type SeriesKeys,
} from './core/operation-series.js';
export { type OperationTarget, type TargetOptions, targetsOf } from './core/operation-targets.js';
export { DEFAULT_MAX_CACHED_SERIES, SeriesCache } from './core/series-cache.js';
export { SeriesDomain, type SeriesDomainSpec, type SeriesFields } from './core/series-domain.js';
export { SeriesInstrumentation } from './core/series-instrumentation.js';
export { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from './stats/quantile-sketch.js';
export { formatSeconds, formatStatsTable } from './stats/stats-table.js';
