import { QuantileSketch } from '../../src/stats/quantile-sketch.js';

/** Per-file timing figures of a batch; null where there are too few files to define them. */
export interface TimingFigures {
  /** Files the figures cover (successful files). */
  count: number;
  /** Sum of the per-file durations, seconds. */
  sumSeconds: number;
  meanSeconds: number | null;
  minSeconds: number | null;
  maxSeconds: number | null;
  medianSeconds: number | null;
  /** True when the median comes from the bounded sketch (±1% relative), not from every value. */
  medianApproximate: boolean;
  /** Sample standard deviation (n − 1 denominator); null below two files. */
  stddevSeconds: number | null;
}

/**
 * Exact running aggregates of durations in O(1) memory: count, sum, min, max and Welford's
 * mean/variance (numerically stable, unlike a plain sum of squares), plus a fixed-size quantile
 * sketch that gives the median once the exact values are no longer all kept.
 */
export class TimingAccumulator {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private mean = 0;
  private m2 = 0;
  private readonly sketch = new QuantileSketch();

  /** Adds one duration in seconds (finite, >= 0). */
  add(seconds: number): void {
    this.count++;
    this.sum += seconds;
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    const delta = seconds - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (seconds - this.mean);
    this.sketch.add(seconds);
  }

  /** The figures; `exactValues` are every added value when all were kept, else undefined. */
  figures(exactValues: number[] | undefined): TimingFigures {
    const n = this.count;
    if (n === 0) {
      return {
        count: 0,
        sumSeconds: 0,
        meanSeconds: null,
        minSeconds: null,
        maxSeconds: null,
        medianSeconds: null,
        medianApproximate: false,
        stddevSeconds: null,
      };
    }
    const exact = exactValues !== undefined && exactValues.length === n;
    return {
      count: n,
      sumSeconds: this.sum,
      meanSeconds: this.sum / n,
      minSeconds: this.min,
      maxSeconds: this.max,
      medianSeconds: exact ? medianOf(exactValues) : (this.sketch.quantile(0.5) ?? null),
      medianApproximate: !exact,
      stddevSeconds: n > 1 ? Math.sqrt(this.m2 / (n - 1)) : null,
    };
  }
}

/** The exact median of `values` (the mean of the two middle values for an even count); sorts in place. */
export function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  const upper = values[middle] as number;
  return values.length % 2 === 1 ? upper : ((values[middle - 1] as number) + upper) / 2;
}
