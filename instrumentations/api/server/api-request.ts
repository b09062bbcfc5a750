import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { API_METRIC_LENGTHS } from '../../../src/core/def-metric-rows.js';
import type { InFlightSeries } from '../../../src/core/in-flight.js';
import type { InputGuard } from '../../../src/core/input-guard.js';
import { OperationHandle } from '../../../src/core/operation-handle.js';
import type { OperationRecorder } from '../../../src/core/operation-recorder.js';
import { readSafely } from '../../../src/core/safe-read.js';
import { ATTR_OPMETER_ENDPOINT_CODE, ATTR_PACKAGE } from '../semconv.js';
import type { EndpointOptions } from '../types.js';

/** The resolved identity of a request's series: its attributes and endpoint code and package. */
export interface Series {
  /** Attributes of the duration and body size histograms. */
  readonly attributes: Attributes;
  readonly code: string;
  readonly package: string;
  /** Attributes of the cache counter for a hit and a miss, built on first use. */
  cacheAttributes?: readonly [hit: Attributes, miss: Attributes];
}

/** Per-request fields of an API operation. */
export interface ApiFields {
  /** `http.request.method` value (known method or `_OTHER`). */
  readonly method: string;
  /** `url.scheme`: `http` or `https`. */
  readonly scheme: string;
  /** `network.protocol.version` (`1.1`, `2`), or undefined when unknown. */
  readonly protocolVersion: string | undefined;
  /** Route template, set by a framework integration or resolved at the end. */
  route: string | undefined;
  /** Endpoint code and package assigned to this request, if any. */
  endpoint: EndpointOptions | undefined;
  statusCode: number | undefined;
  aborted: boolean;
  /** The error recorded by a handler or framework, if any. */
  thrown: unknown;
  requestBytes: number;
  responseBytes: number;
  /** true for a reported cache hit, false for a miss, undefined when not reported. */
  cacheHit: boolean | undefined;
  /** `error.type` of the request (semconv rules), set when it ends. */
  errorType: string | undefined;
  /** Set when the request ends. */
  series: Series | undefined;
}

/** What ends a request when its response closes. */
export interface RequestCompleter {
  /** Ends `request` from the final state of `response`. */
  complete(request: ApiRequest, response: ServerResponse): void;
}

/**
 * One HTTP request in flight. Framework integrations set its route; handlers may mark a cache
 * hit, assign an endpoint or record an error (see the `markCacheHit(req)` style helpers).
 * It ends by itself when the response closes.
 */
export class ApiRequest extends OperationHandle<ApiFields> {
  /** Starts measuring one request; its name (the endpoint code) is set once routing is known. */
  constructor(
    recorder: OperationRecorder<ApiFields>,
    fields: ApiFields,
    readonly request: IncomingMessage,
    private readonly completer: RequestCompleter,
    private readonly routeResolver?: (source: object) => string | undefined,
    /** What the resolver is given: the node request unless the integration gave its own. */
    private readonly routeSource: object = request,
  ) {
    super(recorder, '', fields);
  }

  /** The route template from the resolver given at start, if any; a throwing resolver counts as none. */
  resolveRoute(): string | undefined {
    if (this.routeResolver === undefined) return undefined;
    try {
      const route = this.routeResolver(this.routeSource);
      return typeof route === 'string' ? route : undefined;
    } catch {
      this.recorder.guard.internalError();
      return undefined;
    }
  }

  /** Sets the route template (`/users/:id`); never pass the raw path. */
  setRoute(template: string): this {
    this.fields.route = template;
    return this;
  }

  /**
   * Assigns the endpoint code and/or package of this request, read now (an endpoint object that
   * cannot be read assigns none, counted `unreadable`).
   */
  setEndpoint(endpoint: EndpointOptions): this {
    const guard = this.recorder.guard;
    this.fields.endpoint = readSafely(guard, 'endpoint', endpointOf, guard, undefined, endpoint);
    return this;
  }

  /**
   * Sets the route template of a routed request and, when given, its endpoint (read once when the
   * route was declared, by {@link routeEndpointOf}).
   */
  setRouted(template: string, endpoint: EndpointOptions | undefined): this {
    this.fields.route = template;
    if (endpoint !== undefined) this.fields.endpoint = endpoint;
    return this;
  }

  /** Reports that the response was served from a cache. */
  markCacheHit(): this {
    this.fields.cacheHit = true;
    return this;
  }

  /** Reports that the handler looked in a cache and missed. */
  markCacheMiss(): this {
    this.fields.cacheHit = false;
    return this;
  }

  /** Records the error a handler threw; the first one recorded wins. */
  recordError(error: unknown): this {
    if (this.fields.thrown === undefined) this.fields.thrown = error;
    return this;
  }

  /** Counts the request in flight in `series` (method and scheme) until it ends. */
  countInFlight(series: InFlightSeries): void {
    this.enterInFlight(series);
  }

  /** Ends the request from the final state of `response` (called when it closes). */
  close(response: ServerResponse): void {
    if (!this.isEnded) this.completer.complete(this, response);
  }
}

/**
 * The `endpoints` option as a table of plain endpoints, read once, entry by entry, through
 * `guard`: an entry (or a whole table) that cannot be read is left out and counted `unreadable`,
 * so no request ever reads the caller's object again.
 */
export function endpointTable(
  guard: InputGuard,
  endpoints: object | undefined,
): ReadonlyMap<string, EndpointOptions> {
  const table = new Map<string, EndpointOptions>();
  const keys = readSafely(guard, 'endpoints', ownKeysOf, undefined, undefined, endpoints);
  for (const key of keys) {
    const endpoint = readSafely(guard, 'endpoints', endpointOf, guard, key, endpoints);
    if (endpoint !== undefined) table.set(key, endpoint);
  }
  return table;
}

/**
 * The endpoint held under `key` of a framework's route `config` (Fastify's `config.opmeter`),
 * read through `guard` as {@link ApiRequest.setEndpoint} reads one; undefined when there is none.
 */
export function routeEndpointOf(
  guard: InputGuard,
  config: unknown,
  key: string,
): EndpointOptions | undefined {
  return readSafely(guard, 'endpoint', endpointOf, guard, key, config as object);
}

function ownKeysOf(_: undefined, input: object | undefined): string[] {
  return input === undefined || input === null ? [] : Object.keys(input);
}

/**
 * The code and package of `input` (or of the object under its `key`) as a plain object of strings
 * cut to their columns, read through the guard `this`; undefined when there is no such object.
 */
function endpointOf(
  this: InputGuard,
  key: string | undefined,
  input: object | undefined,
): EndpointOptions | undefined {
  const endpoint: unknown = key === undefined ? input : objectOrUndefined(input)?.[key];
  if (typeof endpoint !== 'object' || endpoint === null) return undefined;
  const { code, package: pkg } = endpoint as EndpointOptions;
  return {
    code:
      code === undefined
        ? undefined
        : this.text(code, ATTR_OPMETER_ENDPOINT_CODE, API_METRIC_LENGTHS.EndpointCode),
    package:
      pkg === undefined ? undefined : this.text(pkg, ATTR_PACKAGE, API_METRIC_LENGTHS.Package),
  };
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}
