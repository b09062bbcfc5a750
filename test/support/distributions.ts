import { seededRandom } from '../../src/analytics/statistics/reservoir.js';

export { seededRandom };

/** `count` samples of a log-normal distribution with the given median and log-space sigma. */
export function logNormalSamples(
  count: number,
  median: number,
  sigma: number,
  seed = 42,
): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const u1 = Math.max(random(), Number.MIN_VALUE);
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    out.push(median * Math.exp(sigma * z));
  }
  return out;
}

/** The exact q-quantile of `values` at rank ⌊q·(n−1)⌋ (the definition the sketch targets). */
export function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

/**
 * Prometheus' `histogram_quantile(q, …)` over explicit buckets: linear interpolation inside the
 * bucket holding rank q·n, as the server computes it.
 */
export function histogramQuantile(
  boundaries: readonly number[],
  values: readonly number[],
  q: number,
): number {
  return quantileOfCounts(boundaries, bucketCounts(boundaries, values), q);
}

/** Non-cumulative count per bucket (the last one is +Inf) of `values` over `boundaries`. */
export function bucketCounts(boundaries: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(boundaries.length + 1).fill(0);
  for (const v of values) {
    let low = 0;
    let high = boundaries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (v > (boundaries[mid] ?? 0)) low = mid + 1;
      else high = mid;
    }
    counts[low] = (counts[low] ?? 0) + 1;
  }
  return counts;
}

/** `histogram_quantile(q)` of bucket counts from {@link bucketCounts}. */
export function quantileOfCounts(
  boundaries: readonly number[],
  counts: readonly number[],
  q: number,
): number {
  const rank = q * counts.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] ?? 0;
    if (cumulative + inBucket >= rank) {
      if (i === boundaries.length) return boundaries[boundaries.length - 1] ?? Number.NaN;
      const upper = boundaries[i] ?? 0;
      const lower = i === 0 ? 0 : (boundaries[i - 1] ?? 0);
      return lower + ((upper - lower) * (rank - cumulative)) / inBucket;
    }
    cumulative += inBucket;
  }
  return Number.NaN;
}

/** A log-normal workload: its median in seconds and its log-space sigma. */
export interface Workload {
  readonly median: number;
  readonly sigma: number;
}

/** How close `histogram_quantile()` comes to the exact quantiles over a set of workloads. */
export interface QuantileAccuracy {
  /** Largest relative error per quantile over all workloads (0.1 = 10%). */
  readonly worst: ReadonlyMap<number, number>;
  /** Mean relative error over every workload and quantile. */
  readonly mean: number;
}

/** `count` medians spaced geometrically from `from` to `to`, both included. */
export function geometricMedians(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from * (to / from) ** (i / (count - 1)));
}

/** Every median crossed with every sigma. */
export function workloads(medians: readonly number[], sigmas: readonly number[]): Workload[] {
  return medians.flatMap((median) => sigmas.map((sigma) => ({ median, sigma })));
}

/**
 * Measures the relative error of `histogram_quantile(q)` over `boundaries` against the exact
 * quantile, for `count` seeded samples of each workload and each of `quantiles`.
 */
export function quantileAccuracy(
  boundaries: readonly number[],
  cases: readonly Workload[],
  quantiles: readonly number[],
  count = 10_000,
): QuantileAccuracy {
  const worst = new Map<number, number>(quantiles.map((q) => [q, 0]));
  let sum = 0;
  for (const { median, sigma } of cases) {
    const samples = logNormalSamples(count, median, sigma, Math.round(median * 1e6) + sigma);
    const sorted = [...samples].sort((a, b) => a - b);
    const counts = bucketCounts(boundaries, samples);
    for (const q of quantiles) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
      const error = Math.abs(quantileOfCounts(boundaries, counts, q) / exact - 1);
      worst.set(q, Math.max(worst.get(q) ?? 0, error));
      sum += error;
    }
  }
  return { worst, mean: sum / (cases.length * quantiles.length) };
}
