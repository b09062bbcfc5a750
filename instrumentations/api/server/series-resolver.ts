import type { Attributes } from '@opentelemetry/api';
import { API_METRIC_LENGTHS } from '../../../src/core/def-metric-rows.js';
import type { InputGuard } from '../../../src/core/input-guard.js';
import { ADJUSTMENT_CARDINALITY_LIMIT } from '../../../src/core/self-metrics.js';
import { TupleCache, type TuplePart } from '../../../src/core/tuple-cache.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  ATTR_URL_SCHEME,
  ENDPOINT_VALUE_UNMATCHED,
  ROUTE_VALUE_OVERFLOW,
} from '../semconv.js';
import type { EndpointOptions } from '../types.js';
import type { ApiFields, Series } from './api-request.js';

/** Most series (attribute sets) kept in the cache; later ones are built per request. */
const MAX_CACHED_SERIES = 4096;

/** Settings of a {@link SeriesResolver}. */
export interface SeriesResolverOptions {
  maxRoutes: number;
  defaultPackage: string;
  /** The `endpoints` option, read once by `endpointTable()`. */
  endpoints: ReadonlyMap<string, EndpointOptions>;
}

/**
 * Turns the final state of a request into its series: a bounded route (at most `maxRoutes`
 * distinct templates, the rest `_OTHER`), its endpoint code and package, and one cached
 * attribute object per distinct combination, so the hot path allocates nothing new.
 */
export class SeriesResolver {
  private readonly routes = new Set<string>();
  private readonly cache = new TupleCache<Series>(MAX_CACHED_SERIES);
  private readonly key: TuplePart[] = Array.from({ length: 8 }, () => undefined);

  /** Creates a resolver that reports adjustments through `guard`. */
  constructor(
    private readonly guard: InputGuard,
    private readonly options: SeriesResolverOptions,
  ) {}

  /** Bounds `route`: a known template, a new one while under `maxRoutes`, else `_OTHER`. */
  admitRoute(route: string | undefined): string | undefined {
    if (route === undefined || this.routes.has(route)) return route;
    const safe = this.guard.text(route, ATTR_HTTP_ROUTE, API_METRIC_LENGTHS.Endpoint);
    if (this.routes.has(safe)) return safe;
    if (this.routes.size >= this.options.maxRoutes) {
      this.guard.count(ATTR_HTTP_ROUTE, ADJUSTMENT_CARDINALITY_LIMIT);
      return ROUTE_VALUE_OVERFLOW;
    }
    this.routes.add(safe);
    return safe;
  }

  /** The series of a request whose route was already admitted. */
  resolve(f: ApiFields): Series {
    const cached = this.cache.get(this.keyOf(f));
    if (cached !== undefined) return cached;
    const series = this.build(f, f.endpoint);
    this.cache.set(this.keyOf(f), series);
    return series;
  }

  /** The lookup key of `f`'s series, in the one array every lookup reuses (the cache keeps none). */
  private keyOf(f: ApiFields): readonly TuplePart[] {
    const key = this.key;
    key[0] = f.route;
    key[1] = f.method;
    key[2] = f.statusCode;
    key[3] = f.scheme;
    key[4] = f.protocolVersion;
    key[5] = f.errorType;
    key[6] = f.endpoint?.code;
    key[7] = f.endpoint?.package;
    return key;
  }

  private build(f: ApiFields, override: EndpointOptions | undefined): Series {
    const derived = `${f.method} ${f.route ?? ENDPOINT_VALUE_UNMATCHED}`;
    const configured = this.options.endpoints.get(derived);
    const code = this.guard.text(
      override?.code ?? configured?.code ?? derived,
      ATTR_OPMETER_ENDPOINT_CODE,
      API_METRIC_LENGTHS.EndpointCode,
    );
    const pkg = this.guard.text(
      override?.package ?? configured?.package ?? this.options.defaultPackage,
      ATTR_PACKAGE,
      API_METRIC_LENGTHS.Package,
    );
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: f.method,
      [ATTR_URL_SCHEME]: f.scheme,
      [ATTR_OPMETER_ENDPOINT_CODE]: code,
      [ATTR_PACKAGE]: pkg,
    };
    if (f.route !== undefined) attributes[ATTR_HTTP_ROUTE] = f.route;
    if (f.protocolVersion !== undefined) {
      attributes[ATTR_NETWORK_PROTOCOL_VERSION] = f.protocolVersion;
    }
    if (f.statusCode !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = f.statusCode;
    if (f.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = f.errorType;
    return { attributes, code, package: pkg };
  }
}
