import type { Attributes, Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import { errorMessageOf } from '../../../src/core/error-classification.js';
import type { EndedOperation, OperationDomain } from '../../../src/core/operation-domain.js';
import type { DefMetricRow } from '../../../src/core/row-sink.js';
import {
  API_TABLE,
  ATTR_OPMETER_CACHE_RESULT,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  CACHE_RESULT_VALUE_HIT,
  CACHE_RESULT_VALUE_MISS,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  METRIC_OPMETER_API_CACHE_REQUESTS,
} from '../semconv.js';
import type { ApiFields, Series } from './api-request.js';

const BYTES_PER_KB = 1024;

/** Names and boundaries of the server instruments. */
export interface ApiMetricsOptions {
  /** Name of the duration histogram, or undefined to create no `http.server.*` instrument. */
  durationMetricName: string | undefined;
  durationBoundaries: number[];
  sizeBoundaries: number[];
}

interface SemconvInstruments {
  readonly duration: Histogram;
  readonly requestSize: Histogram;
  readonly responseSize: Histogram;
  readonly active: UpDownCounter;
}

/** The API domain's instruments, and how a request lands on them and in `def_api_metric`. */
export class ApiMetrics implements OperationDomain<ApiFields> {
  readonly name = 'api';
  readonly readsMemory = false;
  readonly table = API_TABLE;
  private readonly semconv: SemconvInstruments | undefined;
  private readonly cache: Counter;

  /** Creates the API server instruments on `meter`. */
  constructor(meter: Meter, options: ApiMetricsOptions) {
    const name = options.durationMetricName;
    this.semconv =
      name === undefined
        ? undefined
        : {
            duration: meter.createHistogram(name, {
              description: 'Duration of HTTP server requests',
              unit: 's',
              advice: { explicitBucketBoundaries: options.durationBoundaries },
            }),
            requestSize: meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_BODY_SIZE, {
              description: 'Size of HTTP server request bodies',
              unit: 'By',
              advice: { explicitBucketBoundaries: options.sizeBoundaries },
            }),
            responseSize: meter.createHistogram(METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE, {
              description: 'Size of HTTP server response bodies, as written',
              unit: 'By',
              advice: { explicitBucketBoundaries: options.sizeBoundaries },
            }),
            active: meter.createUpDownCounter(METRIC_HTTP_SERVER_ACTIVE_REQUESTS, {
              description: 'HTTP server requests in flight',
              unit: '{request}',
            }),
          };
    this.cache = meter.createCounter(METRIC_OPMETER_API_CACHE_REQUESTS, {
      description: 'HTTP server requests a handler marked as a cache hit or miss',
      unit: '{request}',
    });
  }

  /**
   * Counts one request as in flight, once it is fully registered (not through the core's
   * `started` hook, which runs before registration could still fail).
   */
  requestStarted(activeAttributes: Attributes): void {
    this.semconv?.active.add(1, activeAttributes);
  }

  /** Records an ended request on the duration, body size, active and cache instruments. */
  record(request: EndedOperation<ApiFields>): void {
    const f = request.fields;
    const series = f.series;
    if (series === undefined) return;
    const semconv = this.semconv;
    if (semconv !== undefined) {
      semconv.duration.record(request.durationSeconds, series.attributes);
      semconv.requestSize.record(f.requestBytes, series.attributes);
      semconv.responseSize.record(f.responseBytes, series.attributes);
      semconv.active.add(-1, f.activeAttributes);
    }
    if (f.cacheHit !== undefined) {
      series.cacheAttributes ??= [cacheAttributes(series, true), cacheAttributes(series, false)];
      this.cache.add(1, series.cacheAttributes[f.cacheHit ? 0 : 1]);
    }
  }

  /** The `def_api_metric` row of an ended request. */
  toRow(request: EndedOperation<ApiFields>): DefMetricRow {
    const f = request.fields;
    return {
      EndpointCode: f.series?.code ?? request.name,
      Package: f.series?.package,
      HTTPMethod: f.method,
      Endpoint: f.route ?? null,
      StatusCode: f.statusCode ?? null,
      RequestSizeKB: f.requestBytes / BYTES_PER_KB,
      ResponseSizeKB: f.responseBytes / BYTES_PER_KB,
      ElapsedSeconds: request.durationSeconds,
      CacheHit: f.cacheHit === true,
      OperationSuccess: request.success,
      ErrorMessage: errorMessage(request),
    };
  }
}

function cacheAttributes(series: Series, hit: boolean): Attributes {
  return {
    [ATTR_OPMETER_ENDPOINT_CODE]: series.code,
    [ATTR_PACKAGE]: series.package,
    [ATTR_OPMETER_CACHE_RESULT]: hit ? CACHE_RESULT_VALUE_HIT : CACHE_RESULT_VALUE_MISS,
  };
}

function errorMessage(request: EndedOperation<ApiFields>): string | null {
  const f = request.fields;
  if (f.thrown !== undefined) return errorMessageOf(f.thrown);
  if (request.success) return null;
  if (f.aborted) return 'connection closed before the response was complete';
  return f.statusCode === undefined ? 'no response sent' : `HTTP ${f.statusCode}`;
}
