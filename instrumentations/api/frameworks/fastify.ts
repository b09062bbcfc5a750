import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiInstrumentation, requireApiInstrumentation } from '../server/instrumentation.js';
import { recordError, requestOf } from '../server/registry.js';
import type { EndpointOptions } from '../types.js';

/** The subset of a Fastify request that is read. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { config?: unknown } | undefined;
}

/** The subset of a Fastify reply that is read. */
export interface FastifyReplyLike {
  raw: ServerResponse;
}

/** The subset of a Fastify instance that is used. */
export interface FastifyInstanceLike {
  // biome-ignore lint/suspicious/noExplicitAny: Fastify's overloaded addHook accepts any hook shape
  addHook(name: string, hook: (...args: any[]) => unknown): unknown;
}

/** A Fastify `onRequest` hook in the callback style. */
type OnRequestHook = (
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  done: () => void,
) => void;

/** The subset of the route options a Fastify `onRoute` hook receives that is read and extended. */
interface FastifyRouteOptionsLike {
  url: string;
  config?: unknown;
  onRequest?: unknown;
}

/** What opmeter prepares for a route when it is declared. */
interface PreparedRoute {
  readonly template: string;
  readonly endpoint: EndpointOptions | undefined;
}

/** Where a route's {@link PreparedRoute} is kept in its `config` (Fastify copies it per route). */
const kPrepared = Symbol('opmeter.fastify.route');

/** Route `config` key read for an endpoint code and package: `config: { opmeter: { code } }`. */
export const FASTIFY_CONFIG_KEY = 'opmeter';

/** A Fastify plugin (marked to skip encapsulation, so it applies to the whole application). */
export type FastifyPluginLike = (
  instance: FastifyInstanceLike,
  options: Record<string, unknown>,
  done: (error?: Error) => void,
) => void;

/**
 * A Fastify 5 plugin measuring every request with `api`, including 404s: register it before
 * the routes. It is not encapsulated (like a `fastify-plugin` plugin), so its hooks see every
 * route. Each route is prepared once, when it is declared (`onRoute`): its template
 * (`routeOptions.url`) and the endpoint code and package of its `config: { opmeter: { code,
 * package } }` are read then, and a route-level `onRequest` hook hands them to each request; a
 * request answered before that hook runs (an authentication hook's 401) takes them from the
 * route's config when it ends. Errors reach the `onError` hook and are recorded with their type and message.
 *
 * @example
 * await app.register(fastifyPlugin(api));
 * app.get('/users/:id', { config: { opmeter: { code: 'USER_READ' } } }, handler);
 */
export function fastifyPlugin(api: ApiInstrumentation): FastifyPluginLike {
  requireApiInstrumentation(api, 'fastifyPlugin(api)');
  const plugin: FastifyPluginLike = (instance, _options, done) => {
    instance.addHook('onRequest', onRequest);
    instance.addHook('onRoute', onRoute);
    instance.addHook('onError', onError);
    done();
  };
  function onRequest(request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) {
    api.track(request.raw, reply.raw, lateRoute, request);
    done();
  }
  function onRoute(route: FastifyRouteOptionsLike): void {
    const template = route.url;
    if (typeof template !== 'string') return;
    const prepared: PreparedRoute = {
      template,
      endpoint: api.routeEndpoint(route.config, FASTIFY_CONFIG_KEY),
    };
    const routed: OnRequestHook = (request, _reply, done) => {
      requestOf(request.raw)?.setRouted(template, prepared.endpoint);
      done();
    };
    const own = route.onRequest;
    route.onRequest =
      own === undefined ? [routed] : [routed, ...(Array.isArray(own) ? own : [own])];
    try {
      route.config = { ...(route.config as object | undefined), [kPrepared]: prepared };
    } catch {
      // a config that cannot be copied: Fastify refuses it itself; only the late path loses it
    }
  }
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'opmeter',
  });
}

/**
 * The route of a request whose route-level hook never ran (an earlier `onRequest` hook replied,
 * e.g. a 401 from an authentication hook): read from its route's config when it ends, rarely.
 */
function lateRoute(request: FastifyRequestLike): string | undefined {
  const config = request.routeOptions?.config as { [kPrepared]?: PreparedRoute } | undefined;
  const prepared = config?.[kPrepared];
  if (prepared === undefined) return undefined;
  requestOf(request.raw)?.setRouted(prepared.template, prepared.endpoint);
  return prepared.template;
}

function onError(
  request: FastifyRequestLike,
  _reply: FastifyReplyLike,
  error: unknown,
  done: () => void,
): void {
  recordError(request, error);
  done();
}
