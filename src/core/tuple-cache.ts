/** One part of a {@link TupleCache} key: parts are compared as `Map` keys are (`1` is not `'1'`; `-0` is `0`). */
export type TuplePart = string | number | boolean | undefined;

/**
 * A bounded map keyed by tuples of values, held as nested maps: a lookup builds no key string, so
 * it costs one map lookup per part, and two different tuples never meet, whatever characters
 * their parts hold. Every key of one cache has the same number of parts. Past `max` entries,
 * nothing more is kept, so memory stays bounded whatever the input.
 */
export class TupleCache<V> {
  readonly #root = new Map<TuplePart, unknown>();
  #size = 0;

  /** Creates an empty cache that keeps at most `max` entries. */
  constructor(readonly max: number) {}

  /** Number of entries kept. */
  get size(): number {
    return this.#size;
  }

  /** The value kept under `parts`, if any (`parts` is read, not kept: a caller may reuse it). */
  get(parts: readonly TuplePart[]): V | undefined {
    let level: Map<TuplePart, unknown> | undefined = this.#root;
    const last = parts.length - 1;
    for (let i = 0; i < last && level !== undefined; i++) {
      level = level.get(parts[i]) as Map<TuplePart, unknown> | undefined;
    }
    return level?.get(parts[last]) as V | undefined;
  }

  /** Keeps `value` under `parts` unless the cache is full; returns whether it is kept (`parts` is not kept). */
  set(parts: readonly TuplePart[], value: V): boolean {
    let level = this.#root;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(parts[i]) as Map<TuplePart, unknown> | undefined;
      if (next === undefined) {
        if (this.#size >= this.max) return false;
        next = new Map();
        level.set(parts[i], next);
      }
      level = next;
    }
    if (!level.has(parts[last])) {
      if (this.#size >= this.max) return false;
      this.#size++;
    }
    level.set(parts[last], value);
    return true;
  }
}
