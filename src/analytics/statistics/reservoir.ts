/** A small seeded pseudo-random generator (mulberry32): uniform in [0, 1), reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A uniform random sample of at most `capacity` values from a stream of any length (Vitter's
 * algorithm R): every value seen has the same chance capacity/seen of being kept. Memory is
 * `capacity` numbers, whatever the stream length; the seed makes runs reproducible.
 */
export class Reservoir {
  private readonly kept: number[] = [];
  private seen = 0;
  private readonly random: () => number;

  /** Creates an empty reservoir keeping at most `capacity` values. */
  constructor(
    readonly capacity: number,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  /** Number of values offered so far. */
  get count(): number {
    return this.seen;
  }

  /** Offers one value. */
  add(value: number): void {
    this.seen++;
    if (this.kept.length < this.capacity) {
      this.kept.push(value);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.kept[slot] = value;
  }

  /** The kept values (at most `capacity`), in no particular order. */
  values(): readonly number[] {
    return this.kept;
  }
}
