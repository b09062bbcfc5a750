/**
 * Metric and attribute names of the API domain. The `http.*`, `url.*`, `server.*` and
 * `error.type` names are those of the OTel HTTP semantic conventions, written out here so that the
 * instrumentation depends on `@opentelemetry/api` alone and no semconv release can rename them.
 */

export { ATTR_ERROR_TYPE, ATTR_PACKAGE, DEFAULT_PACKAGE } from '../../src/core/semconv.js';

/** Histogram of server request durations, seconds (Prometheus: `http_server_request_duration_seconds`). */
export const METRIC_HTTP_SERVER_REQUEST_DURATION = 'http.server.request.duration';
/** Histogram of client request durations, seconds (Prometheus: `http_client_request_duration_seconds`). */
export const METRIC_HTTP_CLIENT_REQUEST_DURATION = 'http.client.request.duration';

/** HTTP request method, upper-case; `_OTHER` for methods outside the known set. */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
/** HTTP response status code. */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
/** The matched route template (`/users/:id`), never the raw path. */
export const ATTR_HTTP_ROUTE = 'http.route';
/** `http` or `https`. */
export const ATTR_URL_SCHEME = 'url.scheme';
/** Host name of the server a client request went to. */
export const ATTR_SERVER_ADDRESS = 'server.address';
/** Port of the server a client request went to. */
export const ATTR_SERVER_PORT = 'server.port';
/** HTTP version of the request (`1.0`, `1.1`, `2`, `3`). */
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
/** `http.request.method` of a method outside the known set. */
export const HTTP_REQUEST_METHOD_VALUE_OTHER = '_OTHER';

/** Histogram of request body sizes, bytes, opt-in (`bodySizeMetrics`; Prometheus: `http_server_request_body_size_bytes`). */
export const METRIC_HTTP_SERVER_REQUEST_BODY_SIZE = 'http.server.request.body.size';
/** Histogram of response body sizes, bytes, opt-in (`bodySizeMetrics`; Prometheus: `http_server_response_body_size_bytes`). */
export const METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE = 'http.server.response.body.size';
/** Observable up-down counter of requests in flight (Prometheus: `http_server_active_requests`). */
export const METRIC_HTTP_SERVER_ACTIVE_REQUESTS = 'http.server.active_requests';
/** Gauge of the age of the oldest request in flight, seconds (`opmeter_api_active_requests_max_age_seconds`). */
export const METRIC_OPMETER_API_ACTIVE_MAX_AGE = 'opmeter.api.active_requests.max_age';
/** Gauge of the summed age of the requests in flight, seconds (`opmeter_api_active_requests_total_age_seconds`). */
export const METRIC_OPMETER_API_ACTIVE_TOTAL_AGE = 'opmeter.api.active_requests.total_age';
/** Counter of requests a handler marked as cache hit or miss (Prometheus: `opmeter_api_cache_requests_total`). */
export const METRIC_OPMETER_API_CACHE_REQUESTS = 'opmeter.api.cache.requests';

/** The endpoint code (`GET /users/:id` by default, or the code you assign to the route). */
export const ATTR_OPMETER_ENDPOINT_CODE = 'opmeter.endpoint.code';
/** Whether a handler reported a cache `hit` or `miss`. */
export const ATTR_OPMETER_CACHE_RESULT = 'opmeter.cache.result';

/** `opmeter.cache.result` of a request served from a cache. */
export const CACHE_RESULT_VALUE_HIT = 'hit';
/** `opmeter.cache.result` of a request that missed the cache. */
export const CACHE_RESULT_VALUE_MISS = 'miss';
/** `error.type` of a request whose connection closed before the response was complete. */
export const ERROR_TYPE_VALUE_ABORTED = 'aborted';
/** `http.route` used for routes beyond `maxRoutes` distinct templates (cardinality cap). */
export const ROUTE_VALUE_OVERFLOW = '_OTHER';
/** The route part of the default endpoint code of a request that matched no route. */
export const ENDPOINT_VALUE_UNMATCHED = '(unmatched)';
/** `server.address` used for origins beyond `maxOrigins` distinct ones (fetch client). */
export const SERVER_ADDRESS_VALUE_OTHER = '_OTHER';

/** The def_metric table of handled API requests. */
export const API_TABLE = 'def_api_metric';
