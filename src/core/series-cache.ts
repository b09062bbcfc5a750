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
    const parts = [a, b, c];
    const cached = this.values.get(parts);
    if (cached !== undefined) return cached;
    const built = this.build(a, b, c);
    this.values.set(parts, built);
    return built;
  }
}
