import { HTTP_REQUEST_METHOD_VALUE_OTHER } from './semconv.js';

/** The methods of RFC 9110 plus PATCH: the semconv default list of known HTTP methods. */
export const DEFAULT_KNOWN_METHODS: readonly string[] = Object.freeze([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/**
 * Maps a raw request method to its `http.request.method` value: a known method as is
 * (case-sensitive, as the conventions require), anything else to `_OTHER`.
 */
export class MethodNormalizer {
  private readonly known: ReadonlySet<string>;

  /** Creates a normaliser that knows `known` (default {@link DEFAULT_KNOWN_METHODS}). */
  constructor(known: readonly string[] = DEFAULT_KNOWN_METHODS) {
    this.known = new Set(known);
  }

  /** The `http.request.method` value of `method`. */
  normalize(method: string | undefined): string {
    return method !== undefined && this.known.has(method)
      ? method
      : HTTP_REQUEST_METHOD_VALUE_OTHER;
  }
}
