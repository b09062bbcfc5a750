import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiInstrumentation } from '../server/instrumentation.js';
import { recordError } from '../server/registry.js';

/** The subset of a Fastify request that is read. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { url?: string | undefined; config?: unknown } | undefined;
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
 * route. The route template is `request.routeOptions.url`; a route's
 * `config: { opmeter: { code, package } }` assigns its endpoint code and package; errors reach
 * the `onError` hook and are recorded with their type and message.
 *
 * @example
 * await app.register(fastifyPlugin(api));
 * app.get('/users/:id', { config: { opmeter: { code: 'USER_READ' } } }, handler);
 */
export function fastifyPlugin(api: ApiInstrumentation): FastifyPluginLike {
  const plugin: FastifyPluginLike = (instance, _options, done) => {
    instance.addHook('onRequest', onRequest);
    instance.addHook('onError', onError);
    done();
  };
  function onRequest(request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) {
    const measured = api.track(request.raw, reply.raw);
    const route = request.routeOptions;
    if (measured !== undefined && route !== undefined) {
      if (typeof route.url === 'string') measured.setRoute(route.url);
      measured.setEndpointFrom(route.config, FASTIFY_CONFIG_KEY);
    }
    done();
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
