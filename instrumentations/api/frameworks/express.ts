import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { type ApiInstrumentation, requireApiInstrumentation } from '../server/instrumentation.js';
import { recordError, requestOf, setEndpoint } from '../server/registry.js';
import type { EndpointOptions } from '../types.js';
import { type ExpressAppLike, type ExpressRouteLike, routeTemplate } from './express-routes.js';

/** The subset of an Express request that is read. */
export interface ExpressRequestLike extends IncomingMessage {
  app?: ExpressAppLike;
}

/** An Express middleware (`(req, res, next)`). */
export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** An Express error-handling middleware (`(err, req, res, next)`). */
export type ExpressErrorMiddleware = (
  error: unknown,
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const kRoute = Symbol('opmeter.express.route');
const patchedPrototypes = new WeakSet<object>();

/**
 * Express 5 middleware measuring every request with `api`; mount it first. The route template
 * is captured when Express assigns `req.route` (the matched route, joined with the templates of
 * the routers and sub-applications it is mounted under); unmatched requests get no route.
 *
 * @example
 * app.use(expressMiddleware(api));
 * app.get('/users/:id', handler);
 * app.use(expressErrorRecorder()); // after the routes: records thrown errors' type and message
 */
export function expressMiddleware(api: ApiInstrumentation): ExpressMiddleware {
  requireApiInstrumentation(api, 'expressMiddleware(api)');
  return function opmeterExpress(req, res, next) {
    if (api.track(req, res) !== undefined) captureRouteAssignments(req);
    next();
  };
}

/** Express error middleware (mount it after the routes) recording the error of the request. */
export function expressErrorRecorder(): ExpressErrorMiddleware {
  return function opmeterExpressErrors(error, req, _res, next) {
    recordError(req, error);
    next(error);
  };
}

/** Express middleware assigning an endpoint code and/or package to the routes it guards. */
export function expressEndpoint(endpoint: EndpointOptions): ExpressMiddleware {
  return function opmeterExpressEndpoint(req, _res, next) {
    setEndpoint(req, endpoint);
    next();
  };
}

/**
 * Makes `req.route` an accessor on the application's request prototype (once per prototype),
 * so that the route Express assigns after matching is turned into its template right away,
 * while the router state that locates it is still current.
 */
function captureRouteAssignments(req: ExpressRequestLike): void {
  let proto: object | null;
  try {
    if (req.app === undefined) return;
    proto = Object.getPrototypeOf(req) as object | null;
  } catch {
    return; // a request that cannot be read (a revoked Proxy): no route template
  }
  if (proto === null || patchedPrototypes.has(proto)) return;
  // tried once per prototype, whether it takes or not: a frozen one warns once, not per request
  patchedPrototypes.add(proto);
  try {
    Object.defineProperty(proto, 'route', {
      configurable: true,
      enumerable: true,
      get: getRoute,
      set: setRoute,
    });
  } catch (error) {
    diag.warn(
      'opmeter: could not follow the routes of Express requests (their prototype is frozen?)',
      error,
    );
  }
}

type RouteHolder = ExpressRequestLike & { [kRoute]?: unknown };

function getRoute(this: RouteHolder): unknown {
  return this[kRoute];
}

function setRoute(this: RouteHolder, route: unknown): void {
  this[kRoute] = route;
  if (typeof route !== 'object' || route === null) return;
  const request = requestOf(this);
  if (request === undefined) return;
  try {
    request.setRoute(routeTemplate(this.app, route as ExpressRouteLike));
  } catch (error) {
    diag.warn('opmeter: could not read the template of an Express route', error);
  }
}
