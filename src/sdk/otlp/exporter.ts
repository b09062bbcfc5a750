import {
  type AggregationOption,
  AggregationTemporality,
  InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Temporality } from '../env.js';
import type { HttpTransport } from './http-transport.js';
import type { RetryPolicy } from './retry-policy.js';

/** The result an exporter reports (`ExportResult` of `@opentelemetry/core`). */
type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
/** `ExportResultCode` of `@opentelemetry/core`: SUCCESS, FAILED. */
const SUCCESS = 0;
const FAILED = 1;

/** Turns collected metrics into an OTLP request body (protobuf or JSON). */
export interface MetricsSerializer {
  serializeRequest(request: ResourceMetrics): Uint8Array | undefined;
}

/** Everything the exporter is made of. */
export interface OtlpExporterParts {
  serializer: MetricsSerializer;
  transport: HttpTransport;
  retries: RetryPolicy;
  /** One push, retries included. */
  timeoutMs: number;
  /** One HTTP request. */
  requestTimeoutMs: number;
  /** Pushes in flight at once; a push beyond it fails at once. */
  concurrencyLimit: number;
  temporality: Temporality;
  aggregation: (type: InstrumentType) => AggregationOption;
}

/** A push exporter that can also be ended at once, whatever is in flight. */
export interface OtlpExporter extends PushMetricExporter {
  /** Cancels retry waits and requests in flight and closes every socket. */
  destroy(): void;
}

const DELTA_TYPES: Record<Temporality, ReadonlySet<InstrumentType>> = {
  cumulative: new Set(),
  delta: new Set([
    InstrumentType.COUNTER,
    InstrumentType.OBSERVABLE_COUNTER,
    InstrumentType.HISTOGRAM,
  ]),
  lowmemory: new Set([InstrumentType.COUNTER, InstrumentType.HISTOGRAM]),
};

/**
 * The OTLP/HTTP metric exporter: serialises each push once and hands it to the retry policy, at
 * most `concurrencyLimit` pushes at a time; `shutdown()` waits for pushes in flight, `destroy()`
 * ends them.
 */
export function createOtlpExporter(parts: OtlpExporterParts): OtlpExporter {
  const inFlight = new Set<Promise<void>>();
  const deltaTypes = DELTA_TYPES[parts.temporality];
  let destroyed = false;
  const destroy = (): void => {
    destroyed = true;
    parts.retries.cancel();
    parts.transport.destroy();
  };

  const push = async (metrics: ResourceMetrics): Promise<ExportResult> => {
    const body = parts.serializer.serializeRequest(metrics);
    if (body === undefined) return { code: FAILED, error: new Error('nothing to send') };
    const result = await parts.retries.send(
      body,
      Date.now() + parts.timeoutMs,
      parts.requestTimeoutMs,
    );
    return result.status === 'success' ? { code: SUCCESS } : { code: FAILED, error: result.error };
  };

  return {
    export(metrics, resultCallback) {
      if (destroyed || inFlight.size >= parts.concurrencyLimit) {
        const reason = destroyed ? 'the exporter is shut down' : 'too many pushes in flight';
        resultCallback({ code: FAILED, error: new Error(`OTLP push skipped: ${reason}`) });
        return;
      }
      const done = push(metrics)
        .catch((error: unknown) => ({ code: FAILED, error: error as Error }))
        .then(resultCallback)
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    },
    selectAggregationTemporality: (type) =>
      deltaTypes.has(type) ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
    selectAggregation: parts.aggregation,
    async forceFlush() {
      await Promise.all(inFlight);
    },
    async shutdown() {
      await Promise.all(inFlight);
      destroy();
    },
    destroy,
  };
}
