import type { ApiRequest } from './api-request.js';

/** Where a measured request is kept on its IncomingMessage and ServerResponse. */
const kRequest = Symbol('opmeter.api.request');

type Carrier = { [kRequest]?: ApiRequest };

/** Attaches `request` to its node request and response objects (it dies with them). */
export function registerRequest(req: object, res: object, request: ApiRequest): void {
  (req as Carrier)[kRequest] = request;
  (res as Carrier)[kRequest] = request;
}

/**
 * The measured request behind `message`: a node `IncomingMessage` or `ServerResponse`, an
 * Express `req`/`res`, or a Fastify `request`/`reply` (through its `raw`). Undefined when the
 * request is not measured (no integration, recording switched off, or not an object).
 */
export function requestOf(message: object): ApiRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  try {
    const found = (message as Carrier)[kRequest];
    if (found !== undefined) return found;
    const raw = (message as { raw?: unknown }).raw;
    return typeof raw === 'object' && raw !== null ? (raw as Carrier)[kRequest] : undefined;
  } catch {
    // a Proxy whose traps throw, or a revoked one: no request is measured through it
    return undefined;
  }
}

/** Reports that the response to `req` was served from a cache; false if `req` is not measured. */
export function markCacheHit(req: object): boolean {
  return requestOf(req)?.markCacheHit() !== undefined;
}

/** Reports that the handler of `req` missed its cache; false if `req` is not measured. */
export function markCacheMiss(req: object): boolean {
  return requestOf(req)?.markCacheMiss() !== undefined;
}

/** Records the error thrown while handling `req`; false if `req` is not measured. */
export function recordError(req: object, error: unknown): boolean {
  return requestOf(req)?.recordError(error) !== undefined;
}

/** Assigns the endpoint code and/or package of `req`; false if `req` is not measured. */
export function setEndpoint(req: object, endpoint: { code?: string; package?: string }): boolean {
  return requestOf(req)?.setEndpoint(endpoint) !== undefined;
}

/** Sets the route template of `req` (`/users/:id`, never the raw path); false if not measured. */
export function setRoute(req: object, template: string): boolean {
  return requestOf(req)?.setRoute(template) !== undefined;
}
