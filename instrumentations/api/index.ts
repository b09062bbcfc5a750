export {
  type BucketPreset,
  type DurationBuckets,
  HTTP_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS_FINE,
} from '../../src/core/buckets.js';
export { ADJUSTMENT_CARDINALITY_LIMIT } from '../../src/core/self-metrics.js';
export { HTTP_BODY_SIZE_BUCKETS } from './buckets.js';
export { FetchInstrumentation, UNDICI_CHANNELS } from './client/fetch-instrumentation.js';
export {
  type ExpressErrorMiddleware,
  type ExpressMiddleware,
  type ExpressRequestLike,
  expressEndpoint,
  expressErrorRecorder,
  expressMiddleware,
} from './frameworks/express.js';
export {
  FASTIFY_CONFIG_KEY,
  type FastifyInstanceLike,
  type FastifyPluginLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  fastifyPlugin,
} from './frameworks/fastify.js';
export { DEFAULT_KNOWN_METHODS, MethodNormalizer } from './http-method.js';
export * from './semconv.js';
export type { ApiFields, Series } from './server/api-request.js';
export { ApiRequest } from './server/api-request.js';
export {
  ApiInstrumentation,
  defaultSuccessRule,
  type RouteResolver,
} from './server/instrumentation.js';
export { instrumentServer } from './server/node-http.js';
export {
  markCacheHit,
  markCacheMiss,
  recordError,
  requestOf,
  setEndpoint,
  setRoute,
} from './server/registry.js';
export type {
  ApiInstrumentationConfig,
  EndpointOptions,
  FetchInstrumentationConfig,
  RequestOutcome,
  ServerOptions,
  SuccessRule,
} from './types.js';
