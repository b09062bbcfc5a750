import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { ApiMetricRow } from '../../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../../src/core/error-classification.js';
import type { InFlightSpec } from '../../../src/core/in-flight.js';
import { durationHistogram } from '../../../src/core/instruments.js';
import type { EndedOperation, OperationDomain } from '../../../src/core/operation-domain.js';
import {
  API_TABLE,
  ATTR_OPMETER_CACHE_RESULT,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  CACHE_RESULT_VALUE_HIT,
  CACHE_RESULT_VALUE_MISS,
  DEFAULT_PACKAGE,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  METRIC_OPMETER_API_ACTIVE_MAX_AGE,
  METRIC_OPMETER_API_ACTIVE_TOTAL_AGE,
  METRIC_OPMETER_API_CACHE_REQUESTS,
} from '../semconv.js';
import type { ApiFields, Series } from './api-request.js';

const BYTES_PER_KB = 1024;

/** Names and boundaries of the server instruments. */
export interface ApiMetricsOptions {
  /** Name of the duration histogram, or undefined to create no `http.server.*` instrument. */
  durationMetricName: string | undefined;
  /** Whether to create the two body size histograms (Development status in the conventions). */
  bodySizeMetrics: boolean;
  sizeBoundaries: number[];
}

const IN_FLIGHT: InFlightSpec = {
  count: METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  description: 'HTTP server requests in flight',
  unit: '{request}',
  maxAge: METRIC_OPMETER_API_ACTIVE_MAX_AGE,
  totalAge: METRIC_OPMETER_API_ACTIVE_TOTAL_AGE,
};

/**
 * The API domain's instruments, and how a request lands on them and in `def_api_metric`. A
 * request costs one histogram call by default; requests in flight are reported at collection
 * time, and body sizes only when `bodySizeMetrics` asks for them.
 */
export class ApiMetrics implements OperationDomain<ApiFields, ApiMetricRow> {
  readonly name = 'api';
  readonly readsMemory = false;
  readonly table = API_TABLE;
  readonly inFlight: InFlightSpec | undefined;
  private duration: Histogram | undefined;
  private requestSize: Histogram | undefined;
  private responseSize: Histogram | undefined;
  private cache!: Counter;

  /** Describes the API server instruments. */
  constructor(private readonly options: ApiMetricsOptions) {
    this.inFlight = options.durationMetricName === undefined ? undefined : IN_FLIGHT;
  }

  /** Creates the API server instruments on `meter`, with `boundaries` for the duration. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    const { durationMetricName: name, bodySizeMetrics, sizeBoundaries } = this.options;
    this.duration =
      name === undefined
        ? undefined
        : durationHistogram(meter, name, 'Duration of HTTP server requests', boundaries);
    const sizes = name !== undefined && bodySizeMetrics;
    const size = (metric: string, description: string) =>
      sizes
        ? meter.createHistogram(metric, {
            description,
            unit: 'By',
            advice: { explicitBucketBoundaries: sizeBoundaries },
          })
        : undefined;
    this.requestSize = size(
      METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
      'Size of HTTP server request bodies',
    );
    this.responseSize = size(
      METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
      'Size of HTTP server response bodies, as written',
    );
    this.cache = meter.createCounter(METRIC_OPMETER_API_CACHE_REQUESTS, {
      description: 'HTTP server requests a handler marked as a cache hit or miss',
      unit: '{request}',
    });
  }

  /** Records an ended request on the duration (and, opted in, body size) and cache instruments. */
  record(request: EndedOperation<ApiFields>): void {
    const f = request.fields;
    const series = f.series;
    if (series === undefined) return;
    this.duration?.record(request.durationSeconds, series.attributes);
    if (this.requestSize !== undefined) {
      this.requestSize.record(f.requestBytes, series.attributes);
      this.responseSize?.record(f.responseBytes, series.attributes);
    }
    if (f.cacheHit !== undefined) {
      series.cacheAttributes ??= [cacheAttributes(series, true), cacheAttributes(series, false)];
      this.cache.add(1, series.cacheAttributes[f.cacheHit ? 0 : 1]);
    }
  }

  /** The `def_api_metric` row of an ended request. */
  toRow(request: EndedOperation<ApiFields>): ApiMetricRow {
    const f = request.fields;
    return {
      EndpointCode: f.series?.code ?? request.name,
      Package: f.series?.package ?? DEFAULT_PACKAGE,
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
