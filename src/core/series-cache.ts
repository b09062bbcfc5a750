import { TupleCache } from './tuple-cache.js';

/** Distinct series a {@link SeriesCache} keeps by default; later ones are built per call. */
export const DEFAULT_MAX_CACHED_SERIES = 1000;

/**
 * The one bounded cache of per-series values (attribute objects, in-flight records) used by every
 * domain: a series is identified by up to three strings, looked up through a {@link TupleCache}
 * (no key string is built), and its value is built once by `build`. Past `max` series, values
 * are built per call and not kept, so memory stays bounded whatever the input.
 */
export class SeriesCache<V> {
  private readonly values: TupleCache<V>;
  /** The key of the lookup under way, reused: a lookup on the recording path allocates nothing. */
  private readonly key: [string, string, string] = ['', '', ''];

  /** Creates a cache that builds a missing series with `build` and keeps at most `max`. */
  constructor(
    private readonly build: (a: string, b: string, c: string) => V,
    max = DEFAULT_MAX_CACHED_SERIES,
  ) {
    this.values = new TupleCache(max);
  }

  /** Number of series kept (at most the cache's `max`). */
  get size(): number {
    return this.values.size;
  }

  /** The value of series (`a`, `b`, `c`), built on first use. */
  get(a: string, b = '', c = ''): V {
    const cached = this.values.get(this.keyOf(a, b, c));
    if (cached !== undefined) return cached;
    const built = this.build(a, b, c);
    // `build` may have looked up another series of this cache, which reused the key
    this.values.set(this.keyOf(a, b, c), built);
    return built;
  }

  private keyOf(a: string, b: string, c: string): readonly string[] {
    const key = this.key;
    key[0] = a;
    key[1] = b;
    key[2] = c;
    return key;
  }
}
