import type { Attributes } from '@opentelemetry/api';
import { TupleCache } from '../../../src/core/tuple-cache.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
  SERVER_ADDRESS_VALUE_OTHER,
} from '../semconv.js';

/** Most attribute sets cached per origin; later ones are built per request. */
const MAX_CACHED_PER_ORIGIN = 256;

/** `server.address`, `server.port` and `url.scheme` of one origin, with its cached attribute sets. */
interface Origin {
  readonly address: string;
  readonly port: number | undefined;
  readonly scheme: string;
  readonly series: TupleCache<Attributes>;
}

/**
 * Attribute sets of outgoing requests, by origin (scheme, host and port — never the path),
 * method, status and error type. At most `maxOrigins` distinct origins are named; the rest
 * share `server.address` `_OTHER`.
 */
export class OriginSeries {
  private readonly origins = new Map<string, Origin>();
  private readonly other: Origin = {
    address: SERVER_ADDRESS_VALUE_OTHER,
    port: undefined,
    scheme: 'http',
    series: new TupleCache(MAX_CACHED_PER_ORIGIN),
  };

  /** Creates the cache with room for `maxOrigins` origins. */
  constructor(private readonly maxOrigins: number) {}

  /** The attributes of a request to `origin`. */
  attributes(
    origin: string,
    method: string,
    status: number | undefined,
    errorType: string | undefined,
  ): Attributes {
    const entry = this.originOf(origin);
    const key = [method, status, errorType];
    const cached = entry.series.get(key);
    if (cached !== undefined) return cached;
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: entry.address,
      [ATTR_URL_SCHEME]: entry.scheme,
    };
    if (entry.port !== undefined) attributes[ATTR_SERVER_PORT] = entry.port;
    if (status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
    entry.series.set(key, attributes);
    return attributes;
  }

  private originOf(origin: string): Origin {
    const known = this.origins.get(origin);
    if (known !== undefined) return known;
    if (this.origins.size >= this.maxOrigins) return this.other;
    const parsed = parseOrigin(origin);
    if (parsed === undefined) return this.other;
    this.origins.set(origin, parsed);
    return parsed;
  }
}

function parseOrigin(origin: string): Origin | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.slice(0, -1);
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { address: host, port, scheme, series: new TupleCache(MAX_CACHED_PER_ORIGIN) };
}

function defaultPort(scheme: string): number | undefined {
  if (scheme === 'https') return 443;
  if (scheme === 'http') return 80;
  return undefined;
}
