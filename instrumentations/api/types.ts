import type { IncomingMessage } from 'node:http';
import type { DurationBuckets } from '../../src/core/buckets.js';
import type { LifecycleConfig } from '../../src/core/lifecycle.js';
import type { OperationConfig } from '../../src/core/operation-instrumentation.js';

/** How a handled request ended, as seen by the success rule. */
export interface RequestOutcome {
  /** Status code sent, or undefined when no response header was sent (aborted early). */
  readonly statusCode: number | undefined;
  /** Whether the connection closed before the response was complete. */
  readonly aborted: boolean;
  /** The error recorded for the request (thrown by a handler), if any. */
  readonly error: unknown;
}

/** Decides the `OperationSuccess` column (and session statistics outcome) of a request. */
export type SuccessRule = (outcome: RequestOutcome) => boolean;

/** Endpoint identity that overrides the default derivation for one route. */
export interface EndpointOptions {
  /** Endpoint code (`EndpointCode`, `opmeter.endpoint.code`). Default: `METHOD route`. */
  code?: string;
  /** Package (`Package`, `package`). Default: the instrumentation's `defaultPackage`. */
  package?: string;
}

/**
 * Configuration of {@link ApiInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of the duration histogram:
 * `'default'` is `HTTP_DURATION_BUCKETS`, the 14 OTel semantic-conventions edges, `'fine'`
 * `HTTP_DURATION_BUCKETS_FINE`, 41 edges) and the HTTP options below.
 */
export interface ApiInstrumentationConfig extends OperationConfig {
  /**
   * Endpoint codes and packages by default endpoint code (`METHOD route`).
   * @example { 'GET /users/:id': { code: 'USER_READ', package: 'accounts' } }
   */
  endpoints?: Readonly<Record<string, EndpointOptions>>;
  /**
   * `OperationSuccess` rule. Default: a response was completed with a status below 500.
   * @example { isSuccess: ({ statusCode, aborted }) => !aborted && statusCode !== undefined && statusCode < 400 }
   */
  isSuccess?: SuccessRule;
  /**
   * Whether to record `http.server.request.body.size` and `http.server.response.body.size`
   * (Development status in the HTTP conventions, off by default as in
   * `@opentelemetry/instrumentation-http`). The `def_api_metric` row has both sizes either way.
   * Default false.
   */
  bodySizeMetrics?: boolean;
  /** Bucket boundaries of the body size histograms, bytes. Default `HTTP_BODY_SIZE_BUCKETS`. */
  sizeBuckets?: readonly number[];
  /**
   * Name of the duration histogram. Default `http.server.request.duration`. Set another name
   * (e.g. `opmeter.api.request.duration`) to run next to `@opentelemetry/instrumentation-http`.
   */
  durationMetricName?: string;
  /**
   * Whether to create the `http.server.*` instruments (duration, active requests, body sizes).
   * Default true. With false, only rows, session statistics and `opmeter.api.cache.requests`.
   */
  semconvMetrics?: boolean;
  /** Distinct route templates kept before the rest are reported as `_OTHER`. Default 1000. */
  maxRoutes?: number;
  /** Known HTTP methods (others become `_OTHER`). Default: RFC 9110 methods plus PATCH. */
  knownMethods?: readonly string[];
}

/** Options of {@link instrumentServer} for a plain `node:http` server. */
export interface ServerOptions {
  /**
   * Returns the route template of a request (`/users/:id`), called once when it ends.
   * Return undefined for an unmatched request. Never return the raw path.
   */
  route?: (request: IncomingMessage) => string | undefined;
}

/** Configuration of {@link FetchInstrumentation}: `meterProvider`, `enabled` and the options below. */
export interface FetchInstrumentationConfig extends LifecycleConfig {
  /** Boundaries of the duration histogram, as the server's `buckets` option. Default `'default'`. */
  buckets?: DurationBuckets;
  /**
   * Name of the duration histogram. Default `http.client.request.duration`. Set another name
   * to run next to `@opentelemetry/instrumentation-undici`.
   */
  durationMetricName?: string;
  /** Distinct origins kept before the rest are reported with `server.address` `_OTHER`. Default 100. */
  maxOrigins?: number;
  /** Known HTTP methods (others become `_OTHER`). Default: RFC 9110 methods plus PATCH. */
  knownMethods?: readonly string[];
}
