import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ServerOptions } from '../types.js';
import { type ApiInstrumentation, requireApiInstrumentation } from './instrumentation.js';

/**
 * Measures every request of a plain `node:http` (or `node:https`) server, whatever its request
 * listener, by adding a first `request` listener. Give `options.route` to name route templates;
 * without it, requests are unmatched unless a framework integration or `setRoute(req, …)` names
 * them. Returns a function that removes the listener.
 *
 * @example
 * const server = http.createServer(handler);
 * instrumentServer(server, api, { route: (req) => router.templateOf(req) });
 */
export function instrumentServer(
  server: Server,
  api: ApiInstrumentation,
  options?: ServerOptions,
): () => void {
  requireApiInstrumentation(api, 'instrumentServer(server, api)');
  const route = options?.route;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    api.track(req, res, route);
  };
  server.prependListener('request', listener);
  return () => {
    server.off('request', listener);
  };
}
