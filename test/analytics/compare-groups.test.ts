import { describe, expect, it } from 'vitest';
import { compareGroups } from '../../src/analytics/regression/compare-groups.js';
import { seededRandom } from '../../src/analytics/statistics/reservoir.js';
import { summariseRows } from '../../src/analytics/summary/summarise-window.js';

function rows(count: number, median: number, failEvery: number, seed = 1) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    code: 'orders',
    operation: 'load',
    elapsed: median * (0.5 + random()),
    success: (i + 1) % failEvery !== 0,
  }));
}

describe('compareGroups', () => {
  it('flags a 2× slower p50 with the rank test, and a large p-value change alone is not enough', () => {
    const base = summariseRows(rows(500, 1, 50), 24);
    const slow = summariseRows(rows(500, 2, 50, 2), 24);
    const p50 = compareGroups(base, slow, 24).find((c) => c.metric === 'p50');
    expect(p50).toMatchObject({ regression: true, large: true, effectName: 'rank-biserial r' });
    expect(p50?.relativeChange).toBeCloseTo(1, 0);
    expect(p50?.effectSize).toBeGreaterThan(0.5);
    // The same shift under a 150% threshold is significant but not large.
    const strict = compareGroups(base, slow, 24, { threshold: 1.5 }).find(
      (c) => c.metric === 'p50',
    );
    expect(strict).toMatchObject({ large: false, regression: false });
    expect(strict?.pAdjusted).toBeLessThan(1e-6);
  });

  it('does not test groups below the minimum; counts a vanished group as a throughput drop', () => {
    const base = summariseRows(rows(500, 1, 50), 24);
    const few = summariseRows(rows(10, 5, 2), 24);
    const comparisons = compareGroups(base, few, 24);
    expect(comparisons.map((c) => c.metric)).toEqual(['throughput']);
    expect(comparisons[0]).toMatchObject({ regression: true, recentOperations: 10 });
    const gone = compareGroups(base, new Map(), 24);
    expect(gone[0]).toMatchObject({ metric: 'throughput', recent: 0, regression: true });
    expect(compareGroups(base, few, 24, { minOperations: 1000 })).toEqual([]);
  });

  it('an error rate from 0 to some errors is an infinite relative change', () => {
    const base = summariseRows(rows(2000, 1, 1_000_000), 24);
    const failing = summariseRows(rows(2000, 1, 10, 3), 24);
    const errors = compareGroups(base, failing, 24).find((c) => c.metric === 'error_rate');
    expect(errors?.relativeChange).toBe(Number.POSITIVE_INFINITY);
    expect(errors?.regression).toBe(true);
  });
});
