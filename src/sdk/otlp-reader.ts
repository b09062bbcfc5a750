import {
  AggregationTemporalityPreference,
  OTLPMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import {
  type AggregationOption,
  AggregationType,
  type InstrumentType,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedOtlp } from './config.js';

const TEMPORALITY = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
} as const;

/**
 * A periodic reader pushing OTLP/HTTP JSON. The exporter's own timeout (retries included) is the
 * export timeout, so an unreachable collector holds at most two exports at a time and each ends
 * by its deadline.
 */
export function createOtlpReader(
  otlp: ResolvedOtlp,
  cardinalityLimit: number,
): PeriodicExportingMetricReader {
  const exporter = new OTLPMetricExporter({
    url: otlp.url,
    headers: otlp.headers,
    timeoutMillis: otlp.exportTimeoutMs,
    concurrencyLimit: 2,
    temporalityPreference: TEMPORALITY[otlp.temporality],
    aggregationPreference: histogramSelector(otlp),
  });
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: otlp.exportIntervalMs,
    exportTimeoutMillis: otlp.exportTimeoutMs,
    cardinalityLimits: { default: cardinalityLimit },
  });
}

function histogramSelector(otlp: ResolvedOtlp): (type: InstrumentType) => AggregationOption {
  const { histogram } = otlp;
  if (histogram.kind === 'explicit') return () => ({ type: AggregationType.DEFAULT });
  const exponential: AggregationOption = {
    type: AggregationType.EXPONENTIAL_HISTOGRAM,
    options: histogram.maxSize === undefined ? {} : { maxSize: histogram.maxSize },
  };
  return (type) => (type === 'HISTOGRAM' ? exponential : { type: AggregationType.DEFAULT });
}
