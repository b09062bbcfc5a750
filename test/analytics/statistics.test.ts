import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/analytics/statistics/holm.js';
import { mannWhitneyU } from '../../src/analytics/statistics/mann-whitney.js';
import { normalUpperTail } from '../../src/analytics/statistics/normal.js';
import {
  binomialZTest,
  poissonRateTest,
  twoProportionZTest,
} from '../../src/analytics/statistics/proportion-tests.js';
import { Reservoir } from '../../src/analytics/statistics/reservoir.js';
import {
  medianAbsoluteDeviation,
  quantileSorted,
  robustZ,
  sortedCopy,
  tukeyFences,
} from '../../src/analytics/statistics/robust.js';

// Reference values: SciPy 1.17 (stats.norm.sf, stats.mannwhitneyu with method='asymptotic',
// use_continuity=True) and hand computation.
describe('normal tail', () => {
  it.each([
    [1.96, 0.024997895148220435],
    [5, 2.866515718791933e-7],
    [10, 7.61985302416047e-24],
    [-1, 0.8413447460685429],
  ])('P(Z > %d) matches to 1e-6 relative', (z, expected) => {
    expect(Math.abs(normalUpperTail(z) / expected - 1)).toBeLessThan(1e-6);
  });
});

describe('Mann–Whitney U', () => {
  it('reproduces the textbook example without ties (U = 17, two-sided p = 0.1113)', () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(r.u).toBe(17);
    expect(r.p).toBeCloseTo(0.11134688653314041, 6);
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], 'greater').p).toBeCloseTo(
      0.055673443266570206,
      6,
    );
    expect(r.rankBiserial).toBeCloseTo((2 * 17) / 20 - 1, 10);
  });

  it('applies the tie correction (U = 13.5, p = 0.010695 two-sided, 0.005348 less)', () => {
    const x = [1, 2, 2, 3, 3, 3, 4, 5, 7];
    const y = [3, 4, 4, 5, 6, 6, 7, 8, 8, 9];
    expect(mannWhitneyU(x, y).u).toBe(13.5);
    expect(mannWhitneyU(x, y).p).toBeCloseTo(0.010695303058881776, 6);
    expect(mannWhitneyU(x, y, 'less').p).toBeCloseTo(0.005347651529440888, 6);
    expect(mannWhitneyU(x, y, 'greater').p).toBeCloseTo(0.9957911313554434, 6);
  });

  it('gives p = 1 for empty or constant samples', () => {
    expect(mannWhitneyU([], [1, 2]).p).toBe(1);
    expect(mannWhitneyU([3, 3], [3, 3, 3]).p).toBe(1);
  });
});

describe('proportion and rate tests', () => {
  it('two-proportion z: 40/1000 against 20/1000 gives z = 2.6216, p = 0.004376', () => {
    const r = twoProportionZTest(40, 1000, 20, 1000, 'greater');
    expect(r.z).toBeCloseTo(2.6216125254653817, 6);
    expect(r.p).toBeCloseTo(0.0043757433282791865, 6);
  });

  it('binomial z: 70 of 1000 above a p95 (p0 = 0.05) gives p = 0.002332', () => {
    expect(binomialZTest(70, 1000, 0.05, 'greater').p).toBeCloseTo(0.0023320791932577335, 6);
  });

  it('Poisson rates: 500 against 800 in equal exposure is a drop, p ≈ 5.5e-17', () => {
    const r = poissonRateTest(500, 10, 800, 10, 'less');
    expect(r.z).toBeCloseTo(-8.292767933567175, 6);
    expect(r.p / 5.532153751668865e-17).toBeCloseTo(1, 4);
  });
});

describe('Holm–Bonferroni', () => {
  it('adjusts [0.01, 0.04, 0.03, 0.005] to [0.03, 0.06, 0.06, 0.02]', () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => {
      expect(adjusted[i]).toBeCloseTo(expected, 12);
    });
  });
});

describe('robust statistics', () => {
  const sorted = sortedCopy([100, 3, 1, 4, 2]);

  it('quantiles interpolate between order statistics (type 7)', () => {
    expect(quantileSorted(sorted, 0.25)).toBe(2);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileSorted([], 0.5)).toBeUndefined();
  });

  it('MAD of [1, 2, 3, 4, 100] is 1; the modified z of 100 is 0.6745 × 97', () => {
    expect(medianAbsoluteDeviation(sorted)).toBe(1);
    expect(robustZ(100, { median: 3, mad: 1 })).toBeCloseTo(65.4265, 4);
    expect(robustZ(3, { median: 3, mad: 0 })).toBe(0);
    expect(robustZ(4, { median: 3, mad: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it("Tukey's fences of [1, 2, 3, 4, 100]: Q1 2, Q3 4, fences −1 and 7 (k = 1.5), −4 and 10 (k = 3)", () => {
    expect(tukeyFences(sorted)).toEqual({ q1: 2, q3: 4, lower: -1, upper: 7 });
    expect(tukeyFences(sorted, 3)).toEqual({ q1: 2, q3: 4, lower: -4, upper: 10 });
  });
});

describe('reservoir', () => {
  it('keeps at most its capacity, uniformly (mean of a kept sample of 1..100000 near 50000)', () => {
    const reservoir = new Reservoir(2000, 7);
    for (let i = 1; i <= 100_000; i++) reservoir.add(i);
    expect(reservoir.count).toBe(100_000);
    expect(reservoir.values().length).toBe(2000);
    const mean = reservoir.values().reduce((s, v) => s + v, 0) / 2000;
    // standard error of the mean: 28 868 / √2000 ≈ 645; 4 standard errors
    expect(Math.abs(mean - 50_000)).toBeLessThan(2600);
  });
});
