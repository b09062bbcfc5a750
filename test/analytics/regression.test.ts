import { describe, expect, it } from 'vitest';
import {
  compareGroups,
  type MetricComparison,
} from '../../src/analytics/regression/compare-groups.js';
import { summariseRows } from '../../src/analytics/summary/summarise-window.js';
import { INJECTED, syntheticHistory } from './synthetic-history.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const RECENT_FROM = NOW - 24 * 3_600_000;

function detect(seed: number): MetricComparison[] {
  const rows = [...syntheticHistory({ seed, nowMs: NOW })];
  const baseline = summariseRows(
    rows.filter((r) => r.timeMs < RECENT_FROM),
    48,
    { seed },
  );
  const thresholds = new Map(
    [...baseline].map(([key, g]) => [key, g.p95Seconds ?? Number.POSITIVE_INFINITY]),
  );
  const recent = summariseRows(
    rows.filter((r) => r.timeMs >= RECENT_FROM),
    24,
    { seed, thresholds },
  );
  return compareGroups(baseline, recent, 24);
}

const label = (c: MetricComparison) => `${c.code}/${c.operation} ${c.metric}`;
const EXPECTED = [
  `${INJECTED.p95Slowdown.code}/${INJECTED.p95Slowdown.operation} p95`,
  `${INJECTED.doubledErrors.code}/${INJECTED.doubledErrors.operation} error_rate`,
].sort();

describe('regression detection on a synthetic history (30% p95 slowdown, doubled error rate, 0.5% outliers)', () => {
  it('finds both injected changes with effect sizes and p-values', () => {
    const comparisons = detect(1);
    const found = comparisons.filter((c) => c.regression);
    expect(found.map(label).sort()).toEqual(EXPECTED);
    const p95 = found.find((c) => c.metric === 'p95');
    expect(p95?.relativeChange).toBeGreaterThan(0.2);
    expect(p95?.relativeChange).toBeLessThan(0.45);
    expect(p95?.effectSize).toBeGreaterThan(0.08); // share above the baseline p95 (5% before)
    expect(p95?.pAdjusted).toBeLessThan(1e-6);
    const errors = found.find((c) => c.metric === 'error_rate');
    expect(errors?.relativeChange).toBeGreaterThan(0.5);
    expect(errors?.pAdjusted).toBeLessThan(0.01);
    // 5 groups × 4 metrics, all tested.
    expect(comparisons).toHaveLength(20);
  });

  it('across 50 seeds finds every injected change and flags nothing else', () => {
    let missed = 0;
    let falsePositives = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const found = detect(seed)
        .filter((c) => c.regression)
        .map(label);
      missed += EXPECTED.filter((e) => !found.includes(e)).length;
      falsePositives += found.filter((f) => !EXPECTED.includes(f)).length;
    }
    // 50 seeds × 18 unchanged comparisons = 900 chances of a false positive.
    expect({ missed, falsePositives }).toEqual({ missed: 0, falsePositives: 0 });
  });

  it('flags nothing when the recent window is unchanged', () => {
    const rows = [...syntheticHistory({ seed: 3, nowMs: NOW, inject: false })];
    const baseline = summariseRows(
      rows.filter((r) => r.timeMs < RECENT_FROM),
      48,
    );
    const recent = summariseRows(
      rows.filter((r) => r.timeMs >= RECENT_FROM),
      24,
    );
    expect(compareGroups(baseline, recent, 24).filter((c) => c.regression)).toEqual([]);
  });
});
