/**
 * Metric and attribute names of the API domain. Names that are stable in the OTel semantic
 * conventions come from `@opentelemetry/semantic-conventions`; incubating ones are copied here
 * (as the OTel project recommends), so a semconv release cannot rename them under you.
 */
export {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';

/** Histogram of request body sizes, bytes (Prometheus: `http_server_request_body_size_bytes`). */
export const METRIC_HTTP_SERVER_REQUEST_BODY_SIZE = 'http.server.request.body.size';
/** Histogram of response body sizes, bytes (Prometheus: `http_server_response_body_size_bytes`). */
export const METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE = 'http.server.response.body.size';
/** Up-down counter of requests in flight (Prometheus: `http_server_active_requests`). */
export const METRIC_HTTP_SERVER_ACTIVE_REQUESTS = 'http.server.active_requests';
/** Counter of requests a handler marked as cache hit or miss (Prometheus: `opmeter_api_cache_requests_total`). */
export const METRIC_OPMETER_API_CACHE_REQUESTS = 'opmeter.api.cache.requests';

/** The endpoint code (`GET /users/:id` by default, or the code you assign to the route). */
export const ATTR_OPMETER_ENDPOINT_CODE = 'opmeter.endpoint.code';
/** Package (tenant or product) the endpoint belongs to. */
export const ATTR_PACKAGE = 'package';
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
/** Package used when an endpoint names none. */
export const DEFAULT_PACKAGE = 'default';
