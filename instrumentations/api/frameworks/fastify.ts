import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiInstrumentation } from '../server/instrumentation.js';
import { recordError, requestOf } from '../server/registry.js';

/** The subset of a Fastify request that is read. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
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
 * package } }` are read then, and a route-level `onRequest` hook hands them to each request.
 * Errors reach the `onError` hook and are recorded with their type and message.
 *
 * @example
 * await app.register(fastifyPlugin(api));
 * app.get('/users/:id', { config: { opmeter: { code: 'USER_READ' } } }, handler);
 */
export function fastifyPlugin(api: ApiInstrumentation): FastifyPluginLike {
  const plugin: FastifyPluginLike = (instance, _options, done) => {
    instance.addHook('onRequest', onRequest);
    instance.addHook('onRoute', onRoute);
    instance.addHook('onError', onError);
    done();
  };
  function onRequest(request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) {
    api.track(request.raw, reply.raw);
    done();
  }
  function onRoute(route: FastifyRouteOptionsLike): void {
    const template = route.url;
    if (typeof template !== 'string') return;
    const endpoint = api.routeEndpoint(route.config, FASTIFY_CONFIG_KEY);
    const routed: OnRequestHook = (request, _reply, done) => {
      requestOf(request.raw)?.setRouted(template, endpoint);
      done();
    };
    const own = route.onRequest;
    route.onRequest =
      own === undefined ? [routed] : [routed, ...(Array.isArray(own) ? own : [own])];
  }
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'opmeter',
  });
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
