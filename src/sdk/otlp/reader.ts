import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import {
  type AggregationOption,
  AggregationType,
  type InstrumentType,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { OpmeterConfigError } from '../errors.js';
import type { ResolvedOtlp } from './resolve.js';

/** The exporter packages, one per protocol; each is an optional peer dependency of opmeter. */
const EXPORTER_PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
  'http/json': '@opentelemetry/exporter-metrics-otlp-http',
} as const;

// The values of the exporter's CompressionAlgorithm enum (a string enum of otlp-exporter-base).
const COMPRESSION = {
  gzip: 'gzip' as CompressionAlgorithm,
  none: 'none' as CompressionAlgorithm,
} as const;

/** `AggregationTemporalityPreference` of the exporter packages: DELTA, CUMULATIVE, LOWMEMORY. */
const TEMPORALITY = { delta: 0, cumulative: 1, lowmemory: 2 } as const;

/**
 * A periodic reader pushing OTLP/HTTP in the resolved protocol (protobuf by default, JSON on
 * request), with the resolved compression, headers, TLS files and timeouts. The exporter package of
 * that protocol is loaded on demand, so only it needs to be installed.
 * @throws OpmeterConfigError (as a rejection) naming the package to install when it is missing.
 */
export async function createOtlpReader(
  otlp: ResolvedOtlp,
  cardinalityLimit: number,
): Promise<PeriodicExportingMetricReader> {
  const { OTLPMetricExporter } = await loadExporter(otlp.protocol);
  const exporter: PushMetricExporter = new OTLPMetricExporter({
    url: otlp.url,
    headers: otlp.headers,
    compression: COMPRESSION[otlp.compression],
    timeoutMillis: otlp.requestTimeoutMs,
    concurrencyLimit: 2,
    temporalityPreference: TEMPORALITY[otlp.temporality],
    aggregationPreference: histogramSelector(otlp),
    ...(Object.keys(otlp.tls).length > 0 && { httpAgentOptions: { ...otlp.tls } }),
  });
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: otlp.exportIntervalMs,
    exportTimeoutMillis: otlp.exportTimeoutMs,
    cardinalityLimits: { default: cardinalityLimit },
  });
}

type ExporterModule = typeof import('@opentelemetry/exporter-metrics-otlp-proto');

async function loadExporter(protocol: ResolvedOtlp['protocol']): Promise<ExporterModule> {
  const name = EXPORTER_PACKAGES[protocol];
  try {
    return (await import(name)) as ExporterModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new OpmeterConfigError(
      `OTLP ${protocol} needs the package ${name}, which is not installed: npm install ${name}`,
    );
  }
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
