import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import Fastify, { type FastifyInstance } from 'fastify';

/** The servers the HTTP benchmark loads, by the name its table gives them. */
export type ServerKind = 'node:http' | 'express 5' | 'fastify 5';

/** Every server kind, in table order. */
export const SERVER_KINDS: readonly ServerKind[] = ['node:http', 'express 5', 'fastify 5'];

/** The path loaded, and the route template every server matches it with. */
export const PATH = '/users/12345';
const ROUTE = '/users/:id';

function plainHandler(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{"id":"12345","name":"Ada"}');
}

/** The route template of a request to the plain server, found by hand as a user would. */
export function plainRoute(req: IncomingMessage): string | undefined {
  return req.url?.startsWith('/users/') ? ROUTE : undefined;
}

/** A plain `node:http` server; `before` runs first on every request. */
export function nodeHttpServer(
  before?: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  if (before === undefined) return createServer(plainHandler);
  return createServer((req, res) => {
    before(req, res);
    plainHandler(req, res);
  });
}

/** An Express 5 app with one route; `setup` mounts middleware before it. */
export function expressServer(setup?: (app: Express) => void): Server {
  const app = express();
  setup?.(app);
  app.get(ROUTE, (req, res) => {
    res.json({ id: req.params.id, name: 'Ada' });
  });
  return createServer(app);
}

/** A ready Fastify 5 app with one route, as its `node:http` server; `setup` registers plugins and hooks before it. */
export async function fastifyServer(
  setup?: (app: FastifyInstance) => Promise<void> | void,
): Promise<Server> {
  const app = Fastify();
  await setup?.(app);
  app.get<{ Params: { id: string } }>(ROUTE, async (request) => ({
    id: request.params.id,
    name: 'Ada',
  }));
  await app.ready();
  return app.server;
}

/** The uninstrumented server of `kind`. */
export function uninstrumentedServer(kind: ServerKind): Promise<Server> | Server {
  if (kind === 'express 5') return expressServer();
  if (kind === 'fastify 5') return fastifyServer();
  return nodeHttpServer();
}
