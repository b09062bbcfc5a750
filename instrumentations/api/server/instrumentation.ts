import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { diag } from '@opentelemetry/api';
import { HTTP_DURATION_PRESETS, validateBoundaries } from '../../../src/core/buckets.js';
import { OpmeterConfigError } from '../../../src/core/config-error.js';
import { positiveInteger } from '../../../src/core/config-validation.js';
import { API_METRIC_LENGTHS } from '../../../src/core/def-metric-rows.js';
import { errorTypeOf } from '../../../src/core/error-classification.js';
import { InFlightSeries } from '../../../src/core/in-flight.js';
import { validateInstrumentName } from '../../../src/core/instrument-name.js';
import { OperationInstrumentation } from '../../../src/core/operation-instrumentation.js';
import { ADJUSTMENT_TRUNCATED } from '../../../src/core/self-metrics.js';
import { SeriesCache } from '../../../src/core/series-cache.js';
import { HTTP_BODY_SIZE_BUCKETS } from '../buckets.js';
import { MethodNormalizer } from '../http-method.js';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_URL_SCHEME,
  ERROR_TYPE_VALUE_ABORTED,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../semconv.js';
import type {
  ApiInstrumentationConfig,
  EndpointOptions,
  RequestOutcome,
  SuccessRule,
} from '../types.js';
import { ApiMetrics } from './api-metrics.js';
import {
  type ApiFields,
  ApiRequest,
  endpointTable,
  type RequestCompleter,
  routeEndpointOf,
} from './api-request.js';
import { countResponseBytes, declaredRequestBytes } from './body-bytes.js';
import { registerRequest, requestOf } from './registry.js';
import { SeriesResolver } from './series-resolver.js';

/**
 * Resolves the route template of a request when it ends, from its node request (plain `node:http`
 * servers) or, for a framework integration, from the source it passed to `track` (its own request).
 */
export type RouteResolver<S extends object = IncomingMessage> = (source: S) => string | undefined;

/**
 * `api` when it is an {@link ApiInstrumentation}: the integrations check it when they are set up,
 * so a wrong argument (the `startMetrics()` handle, say) fails there instead of on every request.
 * @throws OpmeterConfigError naming the call and what to pass.
 */
export function requireApiInstrumentation(api: unknown, call: string): ApiInstrumentation {
  if (api instanceof ApiInstrumentation) return api;
  const given = api === null ? 'null' : typeof api === 'object' ? 'another object' : typeof api;
  throw new OpmeterConfigError(
    `${call}: api must be an ApiInstrumentation, got ${given}; pass ` +
      'new ApiInstrumentation(metrics) (the instrumentation, not the startMetrics() handle)',
  );
}

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
export class ApiInstrumentation
  extends OperationInstrumentation<ApiFields, ApiInstrumentationConfig>
  implements RequestCompleter
{
  private readonly series: SeriesResolver;
  private readonly methods: MethodNormalizer;
  private readonly isSuccess: SuccessRule;
  protected override readonly constructionOptions: readonly (keyof ApiInstrumentationConfig)[] = [
    'defaultPackage',
    'endpoints',
    'isSuccess',
    'bodySizeMetrics',
    'sizeBuckets',
    'durationMetricName',
    'semconvMetrics',
    'maxRoutes',
    'knownMethods',
  ];
  private readonly inFlightSeries = new SeriesCache(
    (method, scheme) =>
      new InFlightSeries({ [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme }),
  );
  private countsBodies: boolean;

  /** Creates the API instruments; invalid buckets, SLOs or limits throw here. */
  constructor(config: ApiInstrumentationConfig = {}) {
    const maxRoutes = positiveInteger('ApiInstrumentation', 'maxRoutes', config.maxRoutes, 1000);
    const metrics = new ApiMetrics({
      durationMetricName:
        config.semconvMetrics === false
          ? undefined
          : validateInstrumentName(
              config.durationMetricName ?? METRIC_HTTP_SERVER_REQUEST_DURATION,
              'ApiInstrumentation: durationMetricName',
            ),
      bodySizeMetrics: config.bodySizeMetrics === true,
      sizeBoundaries: validateBoundaries(
        config.sizeBuckets ?? HTTP_BODY_SIZE_BUCKETS,
        'body size bucket boundaries',
      ),
    });
    super(metrics, HTTP_DURATION_PRESETS, config);
    this.series = new SeriesResolver(this.recorder.guard, {
      maxRoutes,
      defaultPackage: this.defaultPackage,
      endpoints: endpointTable(this.recorder.guard, config.endpoints),
    });
    this.methods = new MethodNormalizer(
      config.knownMethods,
      API_METRIC_LENGTHS.HTTPMethod,
      (method, recorded) => {
        this.recorder.guard.count(ATTR_HTTP_REQUEST_METHOD, ADJUSTMENT_TRUNCATED);
        diag.warn(
          `opmeter: the known HTTP method ${JSON.stringify(method)} is longer than the ` +
            `${API_METRIC_LENGTHS.HTTPMethod} characters of the HTTPMethod column and is ` +
            `recorded as ${JSON.stringify(recorded)}`,
        );
      },
    );
    this.isSuccess = config.isSuccess ?? defaultSuccessRule;
    this.countsBodies = countsBodies(this.getConfig());
  }

  /**
   * Starts measuring the request `req` answered by `res`; it ends by itself when `res` closes.
   * Idempotent: a request already measured returns its existing handle. Returns undefined
   * while recording (or this instrumentation) is off. Never throws. `route` is given `routeSource`
   * (default `req`) when the request ends, so an integration needs no closure per request.
   */
  track<S extends object = IncomingMessage>(
    req: IncomingMessage,
    res: ServerResponse,
    route?: RouteResolver<S>,
    routeSource?: S,
  ): ApiRequest | undefined {
    const existing = requestOf(req);
    if (existing !== undefined || !this.recorder.isLive()) return existing;
    try {
      const method = this.methods.normalize(req.method);
      const scheme = (req.socket as TLSSocket | null)?.encrypted === true ? 'https' : 'http';
      const fields: ApiFields = {
        method,
        scheme,
        protocolVersion: protocolVersionOf(req.httpVersion),
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
      const resolver = route as RouteResolver<object> | undefined;
      const request = new ApiRequest(this.recorder, fields, req, this, resolver, routeSource);
      registerRequest(req, res, request);
      if (this.countsBodies) {
        fields.requestBytes = declaredRequestBytes(req);
        countResponseBytes(res);
      }
      res.on('close', onResponseClose);
      request.countInFlight(this.inFlightSeries.get(method, scheme));
      return request;
    } catch (error) {
      this.recorder.guard.internalError();
      diag.warn('opmeter: could not start measuring an HTTP request', error);
      return undefined;
    }
  }

  /**
   * The endpoint held under `key` of a framework route's `config`, for an integration to read once
   * when the route is declared (an unreadable one is none, counted `unreadable`). Never throws.
   */
  routeEndpoint(config: unknown, key: string): EndpointOptions | undefined {
    return routeEndpointOf(this.recorder.guard, config, key);
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
      // Counted and dropped, never left in flight: the active-request gauges stay true.
      request.abandon();
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

  protected override updateMetricInstruments(): void {
    super.updateMetricInstruments();
    this.countsBodies = countsBodies(this.getConfig());
  }
}

/** Body bytes are counted only when a histogram or the `def_api_metric` row needs them. */
function countsBodies(config: ApiInstrumentationConfig): boolean {
  return config.bodySizeMetrics === true || config.rows !== undefined;
}

/** `network.protocol.version` of node's `httpVersion` (`1.1`; `2.0` becomes `2`). */
function protocolVersionOf(httpVersion: string | undefined): string | undefined {
  // the literals, not node's string built per request: their hashes are kept for the series lookup
  if (httpVersion === '1.1') return '1.1';
  if (httpVersion === '1.0') return '1.0';
  if (httpVersion === '2.0') return '2';
  return httpVersion === undefined || httpVersion === '' ? undefined : httpVersion;
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
