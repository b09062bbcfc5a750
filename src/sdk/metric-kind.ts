import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';

/** What a collected metric is, as exporters and the cluster merge tell them apart. */
export type MetricKind = 'counter' | 'updown' | 'gauge' | 'histogram';

/** The kind of a collected metric, or `undefined` for an exponential histogram. */
export function metricKindOf(metric: MetricData): MetricKind | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'updown';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}
