/** Distinct series a {@link SeriesCache} keeps by default; later ones are built per call. */
export const DEFAULT_MAX_CACHED_SERIES = 1000;

type Level<V> = Map<string, Map<string, Map<string, V>>>;

/**
 * The one bounded cache of per-series values (attribute objects, in-flight records) used by every
 * domain: a series is identified by up to three strings, looked up through nested maps (no key
 * string is built), and its value is built once by `build`. Past `max` series, values are built
 * per call and not kept, so memory stays bounded whatever the input.
 */
export class SeriesCache<V> {
  private readonly byFirst: Level<V> = new Map();
  private count = 0;

  /** Creates a cache that builds a missing series with `build` and keeps at most `max`. */
  constructor(
    private readonly build: (a: string, b: string, c: string) => V,
    private readonly max = DEFAULT_MAX_CACHED_SERIES,
  ) {}

  /** Number of series kept (at most the cache's `max`). */
  get size(): number {
    return this.count;
  }

  /** The value of series (`a`, `b`, `c`), built on first use. */
  get(a: string, b = '', c = ''): V {
    const second = this.byFirst.get(a);
    const third = second?.get(b);
    const cached = third?.get(c);
    if (cached !== undefined) return cached;
    const built = this.build(a, b, c);
    if (this.count < this.max) this.keep(a, b, c, built, second, third);
    return built;
  }

  private keep(
    a: string,
    b: string,
    c: string,
    value: V,
    second: Map<string, Map<string, V>> | undefined,
    third: Map<string, V> | undefined,
  ): void {
    let level2 = second;
    if (level2 === undefined) {
      level2 = new Map();
      this.byFirst.set(a, level2);
    }
    let level3 = third;
    if (level3 === undefined) {
      level3 = new Map();
      level2.set(b, level3);
    }
    level3.set(c, value);
    this.count++;
  }
}
