/** Relative accuracy of {@link QuantileSketch}: every quantile is within ±1% of the exact value. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Values at or below this (in seconds) are counted in the zero bucket. */
const MIN_TRACKED_VALUE = 1e-9;
const DEFAULT_MAX_BUCKETS = 2048;

/** A sketch's buckets as plain data, to send to another process and merge there. */
export interface SketchState {
  /** Bucket index of `counts[0]`. */
  offset: number;
  counts: number[];
  zeroCount: number;
}

/**
 * A fixed-memory quantile sketch with logarithmic buckets (the DDSketch idea): a value v lands
 * in bucket ceil(log_γ v) with γ = (1+α)/(1−α), so any reported quantile is within relative
 * error α of the exact sample at rank ⌊q·(n−1)⌋. Memory is bounded by `maxBuckets`; past it the
 * lowest buckets are merged, and values below the kept range counted in the lowest bucket (only
 * the lowest quantiles lose accuracy).
 */
export class QuantileSketch {
  private readonly inverseLogGamma: number;
  private readonly gamma: number;
  /** counts[i] holds the values of bucket index `offset + i`. */
  private counts: number[] = [];
  private offset = 0;
  private zeroCount = 0;
  private total = 0;

  /** Creates an empty sketch keeping at most `maxBuckets` buckets. */
  constructor(private readonly maxBuckets = DEFAULT_MAX_BUCKETS) {
    this.gamma = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
    this.inverseLogGamma = 1 / Math.log(this.gamma);
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** Number of buckets in use (bounded by `maxBuckets`). */
  get bucketCount(): number {
    return this.counts.length;
  }

  /** Adds one non-negative value (NaN counts as zero, +Infinity as `Number.MAX_VALUE`). */
  add(value: number): void {
    this.total++;
    if (!(value > MIN_TRACKED_VALUE)) {
      this.zeroCount++;
      return;
    }
    const index = Math.ceil(Math.log(Math.min(value, Number.MAX_VALUE)) * this.inverseLogGamma);
    this.addAt(index, 1);
  }

  /** Counts `n` values (already in `total`) in bucket `index`. */
  private addAt(index: number, n: number): void {
    const counts = this.counts;
    const slot = index - this.offset;
    if (slot >= 0 && slot < counts.length) {
      counts[slot] = (counts[slot] ?? 0) + n;
      return;
    }
    this.grow(index, n);
  }

  /** The estimated q-quantile (0 ≤ q ≤ 1), or undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    if (rank < this.zeroCount) return 0;
    let seen = this.zeroCount;
    for (let slot = 0; slot < this.counts.length; slot++) {
      seen += this.counts[slot] ?? 0;
      if (seen > rank) return this.valueOf(this.offset + slot);
    }
    return this.valueOf(this.offset + this.counts.length - 1);
  }

  /** The buckets as plain data (a copy). */
  state(): SketchState {
    return { offset: this.offset, counts: [...this.counts], zeroCount: this.zeroCount };
  }

  /**
   * Adds the values of another sketch's state: buckets of the same index add, so the result is
   * exactly the sketch of both sets of values (while within `maxBuckets`, folded as `add` folds).
   */
  merge(other: SketchState): void {
    this.zeroCount += other.zeroCount;
    this.total += other.zeroCount;
    other.counts.forEach((count, slot) => {
      if (count <= 0) return;
      this.total += count;
      this.addAt(other.offset + slot, count);
    });
  }

  /** Forgets every value. */
  clear(): void {
    this.counts = [];
    this.offset = 0;
    this.zeroCount = 0;
    this.total = 0;
  }

  private valueOf(index: number): number {
    return Math.min((2 * this.gamma ** index) / (this.gamma + 1), Number.MAX_VALUE);
  }

  /** Adds `n` values whose bucket lies outside the current range, widening it (bounded). */
  private grow(index: number, n: number): void {
    const counts = this.counts;
    if (counts.length === 0) {
      this.offset = index;
      counts.push(n);
      return;
    }
    if (index < this.offset) {
      const missing = this.offset - index;
      if (counts.length + missing > this.maxBuckets) {
        counts[0] = (counts[0] ?? 0) + n;
        return;
      }
      counts.unshift(n, ...new Array<number>(missing - 1).fill(0));
      this.offset = index;
      return;
    }
    const lowest = index - this.maxBuckets + 1;
    if (lowest > this.offset) this.foldBelow(lowest);
    const kept = this.counts;
    const slot = index - this.offset;
    for (let i = kept.length; i < slot; i++) kept.push(0);
    kept[slot] = (kept[slot] ?? 0) + n;
  }

  /** Merges every bucket below index `lowest` into it, in one pass (however far it moves). */
  private foldBelow(lowest: number): void {
    const counts = this.counts;
    const cut = Math.min(lowest - this.offset, counts.length);
    let folded = 0;
    for (let i = 0; i < cut; i++) folded += counts[i] ?? 0;
    const kept = counts.slice(cut);
    kept[0] = (kept[0] ?? 0) + folded;
    this.counts = kept;
    this.offset = lowest;
  }
}
