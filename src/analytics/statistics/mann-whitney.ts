import { type Alternative, pValueOfZ } from './normal.js';

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (a, b) with a > b, ties counting ½. */
  readonly u: number;
  /** Sizes of the two samples. */
  readonly n1: number;
  readonly n2: number;
  /** The normal-approximation statistic (tie- and continuity-corrected). */
  readonly z: number;
  /** The p-value for the chosen alternative. */
  readonly p: number;
  /**
   * Rank-biserial correlation 2U/(n1·n2) − 1, in [−1, 1]: the effect size, +1 when every value
   * of the first sample is above every value of the second, 0 when neither tends to be larger.
   */
  readonly rankBiserial: number;
}

/**
 * The Mann–Whitney U test of sample `a` against sample `b`, with the normal approximation,
 * tie correction and a continuity correction of ½ (the large-sample form; exact tables are only
 * needed below about 20 values per sample). `greater` tests whether `a` tends to be larger.
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  alternative: Alternative = 'two-sided',
): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, n1, n2, z: 0, p: 1, rankBiserial: 0 };
  const pooled: Array<{ value: number; first: boolean }> = [];
  for (const value of a) pooled.push({ value, first: true });
  for (const value of b) pooled.push({ value, first: false });
  pooled.sort((x, y) => x.value - y.value);
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && pooled[end]?.value === pooled[start]?.value) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (pooled[i]?.first) rankSumA += averageRank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const rankBiserial = (2 * u) / (n1 * n2) - 1;
  if (!(variance > 0)) return { u, n1, n2, z: 0, p: 1, rankBiserial };
  const sigma = Math.sqrt(variance);
  const z = zWithContinuity(u - mean, sigma, alternative);
  return { u, n1, n2, z, p: pValueOfZ(z, alternative), rankBiserial };
}

/** Moves the deviation ½ towards zero (towards the null) before dividing by sigma. */
function zWithContinuity(deviation: number, sigma: number, alternative: Alternative): number {
  let corrected: number;
  if (alternative === 'greater') corrected = deviation - 0.5;
  else if (alternative === 'less') corrected = deviation + 0.5;
  else corrected = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  return corrected / sigma;
}
