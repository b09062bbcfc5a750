import { cutToLength } from '../../src/core/column-length.js';
import { OpmeterConfigError } from '../../src/core/config-error.js';
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
 * (case-sensitive, as the conventions require), anything else to `_OTHER`. With `maxLength`
 * (the `HTTPMethod` column's), a known method longer than it is recorded cut to it, so the
 * attribute is the value the row stores; each such method is reported once, here, to `onCut`.
 */
export class MethodNormalizer {
  private readonly known: ReadonlyMap<string, string>;

  /** Creates a normaliser that knows `known` (default {@link DEFAULT_KNOWN_METHODS}). */
  constructor(
    known: readonly string[] = DEFAULT_KNOWN_METHODS,
    maxLength?: number,
    onCut?: (method: string, recorded: string) => void,
  ) {
    if (!Array.isArray(known) || known.some((m) => typeof m !== 'string' || m === '')) {
      throw new OpmeterConfigError(
        "knownMethods must be an array of HTTP method names such as ['GET', 'POST'], got " +
          (Array.isArray(known) ? 'an array with a value that is not a method name' : typeof known),
      );
    }
    const values = new Map<string, string>();
    for (const method of known) {
      const recorded = maxLength === undefined ? method : cutToLength(method, maxLength);
      if (recorded !== method) onCut?.(method, recorded);
      values.set(method, recorded);
    }
    this.known = values;
  }

  /** The `http.request.method` value of `method`. */
  normalize(method: string | undefined): string {
    const value = method === undefined ? undefined : this.known.get(method);
    return value ?? HTTP_REQUEST_METHOD_VALUE_OTHER;
  }
}
