import {
  type AggregationOption,
  AggregationType,
  type InstrumentType,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { OpmeterConfigError } from '../errors.js';
import { createOtlpExporter, type MetricsSerializer, type OtlpExporter } from './exporter.js';
import { createHttpTransport } from './http-transport.js';
import type { ResolvedOtlp } from './resolve.js';
import { createRetryPolicy } from './retry-policy.js';

/** The exporter packages, one per protocol; each is an optional peer dependency of opmeter. */
const EXPORTER_PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
  'http/json': '@opentelemetry/exporter-metrics-otlp-http',
} as const;

const CONTENT_TYPES = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
} as const;

/** The OTLP reader and a way to end its exporter at once (sockets, requests, retry waits). */
export interface OtlpReader {
  reader: PeriodicExportingMetricReader;
  exporter: OtlpExporter;
}

/**
 * A periodic reader pushing OTLP/HTTP in the resolved protocol (protobuf by default, JSON on
 * request), with the resolved compression, headers, TLS files and timeouts, and bounded retries
 * (`DEFAULT_RETRY_LIMITS` of retry-policy.ts). The body is encoded by the serializers of the exporter
 * package of that protocol, loaded on demand, so only it needs to be installed.
 * @throws OpmeterConfigError (as a rejection) naming the package to install when it is missing.
 */
export async function createOtlpReader(
  otlp: ResolvedOtlp,
  cardinalityLimit: number,
): Promise<OtlpReader> {
  const serializer = await loadSerializer(otlp.protocol);
  const transport = createHttpTransport({
    url: otlp.url,
    headers: otlp.headers,
    contentType: CONTENT_TYPES[otlp.protocol],
    gzip: otlp.compression === 'gzip',
    tls: otlp.tls,
  });
  const exporter = createOtlpExporter({
    serializer,
    transport,
    retries: createRetryPolicy(transport),
    timeoutMs: otlp.exportTimeoutMs,
    requestTimeoutMs: otlp.requestTimeoutMs,
    concurrencyLimit: 2,
    temporality: otlp.temporality,
    aggregation: histogramSelector(otlp),
  });
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: otlp.exportIntervalMs,
    exportTimeoutMillis: otlp.exportTimeoutMs,
    cardinalityLimits: { default: cardinalityLimit },
  });
  return { reader, exporter };
}

async function loadSerializer(protocol: ResolvedOtlp['protocol']): Promise<MetricsSerializer> {
  const name = EXPORTER_PACKAGES[protocol];
  try {
    await import(name);
    const transformer = await import('@opentelemetry/otlp-transformer');
    return protocol === 'http/json'
      ? transformer.JsonMetricsSerializer
      : transformer.ProtobufMetricsSerializer;
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
