export type { BucketPreset, DurationBuckets } from '../../src/core/buckets.js';
export { MAX_METRIC_NAME_LENGTH } from '../../src/core/instrument-name.js';
export { ADJUSTMENT_RESERVED_TAG } from '../../src/core/self-metrics.js';
export { ADJUSTMENT_SERIES_OVERFLOW } from './custom-metric.js';
export { ADJUSTMENT_TOO_MANY_METRICS, CustomMetrics } from './instrumentation.js';
export { CustomMetricError } from './metric-name.js';
export type { ObservedRead } from './observed-metric.js';
export * from './semconv.js';
export type {
  CounterSeriesSnapshot,
  GaugeSeriesSnapshot,
  ItemsSeriesSnapshot,
  ObservedSeriesSnapshot,
  TimingSeriesSnapshot,
} from './series.js';
export type { CustomMetricsSnapshot } from './snapshot.js';
export { MAX_TAGS } from './tags.js';
export type { CustomMetricsConfig, MetricDefinition, ObservedValue, Tags, Timer } from './types.js';
