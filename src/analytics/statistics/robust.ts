/** Sorts a copy of `values` ascending. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The q-quantile of sorted values by linear interpolation between order statistics (Hyndman–Fan
 * type 7, the default of R and NumPy); undefined when empty.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(n - 1, lo + 1)] as number;
  return low + (h - lo) * (high - low);
}

/** The median of sorted values; undefined when empty. */
export function medianSorted(sorted: readonly number[]): number | undefined {
  return quantileSorted(sorted, 0.5);
}

/** Median absolute deviation from the median (not scaled); undefined when empty. */
export function medianAbsoluteDeviation(sorted: readonly number[]): number | undefined {
  const median = medianSorted(sorted);
  if (median === undefined) return undefined;
  return medianSorted(sortedCopy(sorted.map((v) => Math.abs(v - median))));
}

/** A robust centre and spread: the median and the MAD. */
export interface RobustScale {
  readonly median: number;
  readonly mad: number;
}

/** 0.6745 = Φ⁻¹(0.75): makes MAD-based z-scores comparable to ordinary ones on normal data. */
export const MAD_Z_FACTOR = 0.6745;

/**
 * The modified z-score of Iglewicz and Hoaglin, 0.6745·(x − median)/MAD; ±Infinity when MAD is 0
 * and x differs from the median, 0 when it equals it.
 */
export function robustZ(value: number, scale: RobustScale): number {
  const deviation = value - scale.median;
  if (scale.mad > 0) return (MAD_Z_FACTOR * deviation) / scale.mad;
  return deviation === 0 ? 0 : deviation > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** Tukey's fences: values below `lower` or above `upper` are outliers. */
export interface TukeyFences {
  readonly q1: number;
  readonly q3: number;
  readonly lower: number;
  readonly upper: number;
}

/** Tukey's fences Q1 − k·IQR and Q3 + k·IQR (k = 1.5 "outside", 3 "far out"); undefined when empty. */
export function tukeyFences(sorted: readonly number[], k = 1.5): TukeyFences | undefined {
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  if (q1 === undefined || q3 === undefined) return undefined;
  const iqr = q3 - q1;
  return { q1, q3, lower: q1 - k * iqr, upper: q3 + k * iqr };
}
