/**
 * `opmeter/sdk`: the optional bootstrap. Instrumentations need only `@opentelemetry/api`; this
 * subpath builds a MeterProvider with Prometheus, OTLP and in-memory readers and opmeter's views.
 */
export {
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_FILE_DURATION_BUCKETS_FINE,
  EVENT_DURATION_BUCKETS,
  EVENT_DURATION_BUCKETS_FINE,
  HTTP_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS_FINE,
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_DURATION_BUCKETS_FINE,
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS_FINE,
  withSloBoundaries,
} from '../core/buckets.js';
export { OpmeterConfigError } from '../core/config-error.js';
export {
  DEFAULT_CARDINALITY_LIMIT,
  DEFAULT_PROMETHEUS,
  DEFAULT_SERVICE_NAME,
  type ResolvedConfig,
  type ResolvedPrometheus,
  resolveConfig,
} from './config.js';
export { DeadlineError } from './deadline.js';
export {
  type Env,
  type ExemplarFilter,
  type HistogramKind,
  type MetricsEnv,
  type MetricsExporterName,
  type OtlpCompression,
  type OtlpProtocol,
  type OtlpTlsFiles,
  parseMetricsEnv,
  RESOURCE_DETECTORS,
  type ResourceDetectorName,
  type Temporality,
} from './env.js';
export { InMemoryMetricReader } from './memory-reader.js';
export type {
  DeadlineOptions,
  MetricsHandle,
  OtlpHistogramOptions,
  OtlpOptions,
  PrometheusEndpoint,
  PrometheusOptions,
  StartMetricsOptions,
} from './options.js';
export {
  DEFAULT_OTLP_ENDPOINT,
  DEFAULT_OTLP_PROTOCOL,
  type OtlpTls,
  type ResolvedOtlp,
} from './otlp/resolve.js';
export {
  PROMETHEUS_METER_NAME,
  type PrometheusEndpointParts,
  type ScrapeOptions,
} from './prometheus/endpoint.js';
export type { Exemplar, ExemplarSource } from './prometheus/exposition/exemplars.js';
export {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from './prometheus/exposition/format.js';
export { type PrometheusName, prometheusName } from './prometheus/names.js';
export * from './prometheus/semconv.js';
export {
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_SCRAPE_TIMEOUT_MS,
  type PrometheusExpositionOptions,
  type ResolvedExposition,
} from './prometheus/settings.js';
export { EndpointStoppedError } from './prometheus/shared-renderings.js';
export { prometheusUnit } from './prometheus/units.js';
export { DEFAULT_DEADLINE_MS, startMetrics } from './start-metrics.js';
export { createViews } from './views/build.js';
export type {
  AttributeFilter,
  DropView,
  HistogramConfig,
  StreamView,
  ViewConfig,
  ViewSelector,
} from './views/types.js';
