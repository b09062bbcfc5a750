import {
  type AggregationOption,
  AggregationType,
  type InstrumentType,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { OpmeterConfigError } from '../../core/config-error.js';
import { createOtlpExporter, type MetricsSerializer, type OtlpExporter } from './exporter.js';
import { createHttpTransport } from './http-transport.js';
import type { ResolvedOtlp } from './resolve.js';
import { createRetryPolicy } from './retry-policy.js';

/** The OTel JS package whose serializers encode OTLP bodies: an optional peer dependency of opmeter. */
const TRANSFORMER_PACKAGE = '@opentelemetry/otlp-transformer';

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
 * (`DEFAULT_RETRY_LIMITS` of retry-policy.ts). The body is encoded by the serializers of
 * `@opentelemetry/otlp-transformer` (the ones the OTel exporter packages use), loaded on demand.
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
  try {
    const transformer = await import('@opentelemetry/otlp-transformer');
    return protocol === 'http/json'
      ? transformer.JsonMetricsSerializer
      : transformer.ProtobufMetricsSerializer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new OpmeterConfigError(
      `OTLP needs the package ${TRANSFORMER_PACKAGE}, which is not installed: npm install ${TRANSFORMER_PACKAGE}`,
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
