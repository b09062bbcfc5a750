/** Relative accuracy of {@link QuantileSketch}: every quantile is within ±1% of the exact value. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Values at or below this (in seconds) are counted in the zero bucket. */
const MIN_TRACKED_VALUE = 1e-9;
const DEFAULT_MAX_BUCKETS = 2048;

/**
 * A fixed-memory quantile sketch with logarithmic buckets (the DDSketch idea): a value v lands
 * in bucket ceil(log_γ v) with γ = (1+α)/(1−α), so any reported quantile is within relative
 * error α of the exact sample at rank ⌊q·(n−1)⌋. Memory is bounded by `maxBuckets`; past it the
 * lowest buckets are merged (only the lowest quantiles lose accuracy).
 */
export class QuantileSketch {
  private readonly logGamma: number;
  private readonly gamma: number;
  private buckets = new Map<number, number>();
  private zeroCount = 0;
  private total = 0;

  /** Creates an empty sketch keeping at most `maxBuckets` buckets. */
  constructor(private readonly maxBuckets = DEFAULT_MAX_BUCKETS) {
    this.gamma = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
    this.logGamma = Math.log(this.gamma);
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** Adds one non-negative value. */
  add(value: number): void {
    this.total++;
    if (value <= MIN_TRACKED_VALUE) {
      this.zeroCount++;
      return;
    }
    const index = Math.ceil(Math.log(value) / this.logGamma);
    const buckets = this.buckets;
    buckets.set(index, (buckets.get(index) ?? 0) + 1);
    if (buckets.size > this.maxBuckets) this.collapseLowest();
  }

  /** The estimated q-quantile (0 ≤ q ≤ 1), or undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    if (rank < this.zeroCount) return 0;
    let seen = this.zeroCount;
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.buckets.get(index) ?? 0;
      if (seen > rank) return this.valueOf(index);
    }
    const last = indexes[indexes.length - 1];
    return last === undefined ? 0 : this.valueOf(last);
  }

  /** Forgets every value. */
  clear(): void {
    this.buckets = new Map();
    this.zeroCount = 0;
    this.total = 0;
  }

  private valueOf(index: number): number {
    return (2 * this.gamma ** index) / (this.gamma + 1);
  }

  private collapseLowest(): void {
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    const [lowest, next] = indexes;
    if (lowest === undefined || next === undefined) return;
    this.buckets.set(next, (this.buckets.get(next) ?? 0) + (this.buckets.get(lowest) ?? 0));
    this.buckets.delete(lowest);
  }
}
