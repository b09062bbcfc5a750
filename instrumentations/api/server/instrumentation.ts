import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Attributes, diag } from '@opentelemetry/api';
import {
  HTTP_DURATION_PRESETS,
  resolveBuckets,
  validateBoundaries,
} from '../../../src/core/buckets.js';
import { errorTypeOf } from '../../../src/core/error-classification.js';
import { meterFor } from '../../../src/core/instrumentation-options.js';
import { OperationRecorder } from '../../../src/core/operation-recorder.js';
import { isRecordingEnabled } from '../../../src/core/switch.js';
import { HTTP_BODY_SIZE_BUCKETS } from '../buckets.js';
import { MethodNormalizer } from '../http-method.js';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_URL_SCHEME,
  DEFAULT_PACKAGE,
  ERROR_TYPE_VALUE_ABORTED,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../semconv.js';
import type { ApiInstrumentationConfig, RequestOutcome, SuccessRule } from '../types.js';
import { ApiMetrics } from './api-metrics.js';
import { type ApiFields, ApiRequest, type RequestCompleter } from './api-request.js';
import { countResponseBytes, declaredRequestBytes } from './body-bytes.js';
import { registerRequest, requestOf } from './registry.js';
import { SeriesResolver } from './series-resolver.js';

/** Resolves the route template of a request when it ends (plain `node:http` servers). */
export type RouteResolver = (request: IncomingMessage) => string | undefined;

/** Default `OperationSuccess` rule: a response completed with a status below 500. */
export const defaultSuccessRule: SuccessRule = ({ statusCode, aborted }) =>
  !aborted && statusCode !== undefined && statusCode < 500;

/**
 * Measures HTTP server requests: `http.server.request.duration` and friends with the OTel
 * semantic-convention attributes plus the endpoint code and package, session statistics, and
 * one `def_api_metric` row per request. Use it through `instrumentServer(server, api)`,
 * `expressMiddleware(api)` or `fastifyPlugin(api)`, or call {@link track} from any framework.
 *
 * @example
 * const api = new ApiInstrumentation({ ...metrics, defaultPackage: 'accounts' });
 * app.use(expressMiddleware(api));
 */
export class ApiInstrumentation implements RequestCompleter {
  private readonly metrics: ApiMetrics;
  private readonly recorder: OperationRecorder<ApiFields>;
  private readonly series: SeriesResolver;
  private readonly methods: MethodNormalizer;
  private readonly isSuccess: SuccessRule;
  private readonly activeAttributes = new Map<string, Attributes>();

  /** Creates the API instruments; invalid buckets, SLOs or limits throw here. */
  constructor(config: ApiInstrumentationConfig = {}) {
    const meter = meterFor('api', config);
    const maxRoutes = config.maxRoutes ?? 1000;
    if (!Number.isInteger(maxRoutes) || maxRoutes < 1) {
      throw new RangeError(`maxRoutes must be a positive integer, got ${String(maxRoutes)}`);
    }
    this.metrics = new ApiMetrics(meter, {
      durationMetricName:
        config.semconvMetrics === false
          ? undefined
          : (config.durationMetricName ?? METRIC_HTTP_SERVER_REQUEST_DURATION),
      durationBoundaries: resolveBuckets(config.buckets, HTTP_DURATION_PRESETS, config.slo),
      sizeBoundaries: validateBoundaries(
        config.sizeBuckets ?? HTTP_BODY_SIZE_BUCKETS,
        'body size bucket boundaries',
      ),
    });
    this.recorder = new OperationRecorder(this.metrics, meter, config);
    this.series = new SeriesResolver(this.recorder.guard, {
      maxRoutes,
      defaultPackage: config.defaultPackage ?? DEFAULT_PACKAGE,
      endpoints: config.endpoints ?? {},
    });
    this.methods = new MethodNormalizer(config.knownMethods);
    this.isSuccess = config.isSuccess ?? defaultSuccessRule;
  }

  /**
   * Starts measuring the request `req` answered by `res`; it ends by itself when `res` closes.
   * Idempotent: a request already measured returns its existing handle. Returns undefined
   * while recording is switched off. Never throws.
   */
  track(req: IncomingMessage, res: ServerResponse, route?: RouteResolver): ApiRequest | undefined {
    const existing = requestOf(req);
    if (existing !== undefined || !isRecordingEnabled()) return existing;
    try {
      const method = this.methods.normalize(req.method);
      const scheme = (req.socket as TLSSocket | null)?.encrypted === true ? 'https' : 'http';
      const activeAttributes = this.activeAttributesOf(method, scheme);
      const fields: ApiFields = {
        method,
        scheme,
        activeAttributes,
        route: undefined,
        endpoint: undefined,
        statusCode: undefined,
        aborted: false,
        thrown: undefined,
        requestBytes: 0,
        responseBytes: 0,
        cacheHit: undefined,
        errorType: undefined,
        series: undefined,
      };
      const request = new ApiRequest(this.recorder, fields, req, this, route);
      registerRequest(req, res, request);
      fields.requestBytes = declaredRequestBytes(req);
      countResponseBytes(res);
      res.on('close', onResponseClose);
      this.metrics.requestStarted(activeAttributes);
      return request;
    } catch (error) {
      this.recorder.guard.internalError();
      diag.warn('opmeter: could not start measuring an HTTP request', error);
      return undefined;
    }
  }

  /** Ends `request` from the final state of `response`. Never throws. */
  complete(request: ApiRequest, response: ServerResponse): void {
    try {
      const f = request.fields;
      f.aborted = !response.writableFinished;
      if (response.headersSent) f.statusCode = response.statusCode;
      if (!hasBody(f.method, f.statusCode)) f.responseBytes = 0;
      if (f.route === undefined) f.route = request.resolveRoute();
      f.route = this.series.admitRoute(f.route);
      f.errorType = errorTypeOfRequest(f);
      const series = this.series.resolve(f);
      f.series = series;
      request.name = series.code;
      const outcome: RequestOutcome = {
        statusCode: f.statusCode,
        aborted: f.aborted,
        error: f.thrown,
      };
      request.endWith(this.successOf(outcome), f.thrown);
    } catch (error) {
      this.recorder.guard.internalError();
      diag.warn('opmeter: could not end the measurement of an HTTP request', error);
    }
  }

  /** The configured success rule's verdict; the default rule's when it throws (counted). */
  private successOf(outcome: RequestOutcome): boolean {
    try {
      return Boolean(this.isSuccess(outcome));
    } catch (error) {
      this.recorder.guard.internalError();
      diag.warn(
        'opmeter: the isSuccess rule of ApiInstrumentation threw; the default rule decided',
        error,
      );
      return defaultSuccessRule(outcome);
    }
  }

  private activeAttributesOf(method: string, scheme: string): Attributes {
    const key = scheme === 'https' ? `s${method}` : method;
    let attributes = this.activeAttributes.get(key);
    if (attributes === undefined) {
      attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme };
      this.activeAttributes.set(key, attributes);
    }
    return attributes;
  }
}

function onResponseClose(this: ServerResponse): void {
  requestOf(this)?.close(this);
}

/** Responses to HEAD, 1xx, 204 and 304 carry no body: node ignores what is written. */
function hasBody(method: string, status: number | undefined): boolean {
  if (method === 'HEAD') return false;
  return status === undefined || !(status < 200 || status === 204 || status === 304);
}

/**
 * `error.type` by the HTTP conventions: the recorded error's code or class when the request
 * failed, `aborted` for a connection closed early, the status code as a string for 5xx.
 */
function errorTypeOfRequest(f: ApiFields): string | undefined {
  const status = f.statusCode;
  const failed = f.aborted || status === undefined || status >= 500;
  if (!failed) return undefined;
  if (f.thrown !== undefined) return errorTypeOf(f.thrown);
  if (f.aborted) return ERROR_TYPE_VALUE_ABORTED;
  return String(status);
}
