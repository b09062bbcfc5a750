import { holmAdjust } from '../statistics/holm.js';
import { mannWhitneyU } from '../statistics/mann-whitney.js';
import { poissonRateTest, twoProportionZTest } from '../statistics/proportion-tests.js';
import type { GroupSummary } from '../summary/group-summary.js';

/** What a regression can be about. */
export type RegressionMetric = 'p50' | 'p95' | 'error_rate' | 'throughput';

/** Every metric compared, in report order. */
export const REGRESSION_METRICS: readonly RegressionMetric[] = [
  'p50',
  'p95',
  'error_rate',
  'throughput',
];

/** The significance test behind each metric. */
export const METRIC_TESTS: Readonly<Record<RegressionMetric, string>> = {
  p50: 'Mann-Whitney U',
  p95: 'share above baseline p95 (two-proportion z)',
  error_rate: 'two-proportion z',
  throughput: 'Poisson rate (conditional binomial)',
};

/** Thresholds of the comparison. */
export interface RegressionOptions {
  /** A change is large when its relative size exceeds this (default 0.2, i.e. 20%). */
  readonly threshold?: number;
  /** A change is significant when its Holm-adjusted p-value is below this (default 0.01). */
  readonly alpha?: number;
  /** Groups with fewer operations than this in either window are not tested (default 30). */
  readonly minOperations?: number;
}

/** Default relative-change threshold. */
export const DEFAULT_THRESHOLD = 0.2;
/** Default significance level (family-wise, after the Holm correction). */
export const DEFAULT_ALPHA = 0.01;
/** Default minimum number of operations per window and group. */
export const DEFAULT_MIN_OPERATIONS = 30;

/** One metric of one code/operation, baseline against recent. */
export interface MetricComparison {
  readonly code: string;
  readonly operation: string;
  readonly metric: RegressionMetric;
  readonly baseline: number | null;
  readonly recent: number | null;
  /** recent / baseline − 1 (a slowdown, more errors, or for throughput a drop, is worse). */
  readonly relativeChange: number | null;
  /** The test's own effect size (see {@link effectName}). */
  readonly effectSize: number;
  readonly effectName: string;
  readonly test: string;
  readonly p: number;
  /** p after the Holm–Bonferroni correction over every test of the report. */
  readonly pAdjusted: number;
  /** The change is worse than the threshold. */
  readonly large: boolean;
  /** Large and significant: a regression. */
  readonly regression: boolean;
  readonly baselineOperations: number;
  readonly recentOperations: number;
}

type Draft = Omit<MetricComparison, 'pAdjusted' | 'regression'>;

/**
 * Compares every code/operation present in the baseline with the recent window. A regression must
 * be both large (relative change worse than the threshold) and significant (Holm-adjusted p below
 * alpha): p50 by a one-sided Mann–Whitney U on the two samples (latency is skewed and heavy-tailed,
 * so a rank test assumes no distribution), p95 by the share of operations slower than the
 * baseline's p95 (5% when nothing changed), error rate by a two-proportion z-test, throughput by
 * a Poisson rate test.
 */
export function compareGroups(
  baseline: ReadonlyMap<string, GroupSummary>,
  recent: ReadonlyMap<string, GroupSummary>,
  recentHours: number,
  options: RegressionOptions = {},
): MetricComparison[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minOperations = options.minOperations ?? DEFAULT_MIN_OPERATIONS;
  const drafts: Draft[] = [];
  for (const [key, base] of baseline) {
    if (base.count < minOperations) continue;
    const now = recent.get(key);
    const recentCount = now?.count ?? 0;
    const common = {
      code: base.code,
      operation: base.operation,
      baselineOperations: base.count,
      recentOperations: recentCount,
    };
    drafts.push(throughputDraft(common, base, recentCount, recentHours, threshold));
    if (!now || recentCount < minOperations) continue;
    drafts.push(p50Draft(common, base, now, threshold));
    drafts.push(p95Draft(common, base, now, threshold));
    drafts.push(errorDraft(common, base, now, threshold));
  }
  const adjusted = holmAdjust(drafts.map((d) => d.p));
  return drafts.map((d, i) => {
    const pAdjusted = adjusted[i] ?? 1;
    return { ...d, pAdjusted, regression: d.large && pAdjusted < alpha };
  });
}

type Common = Pick<Draft, 'code' | 'operation' | 'baselineOperations' | 'recentOperations'>;

function relative(recent: number | null, baseline: number | null): number | null {
  if (recent === null || baseline === null) return null;
  if (baseline === 0) return recent === 0 ? 0 : Number.POSITIVE_INFINITY;
  return recent / baseline - 1;
}

function p50Draft(common: Common, base: GroupSummary, now: GroupSummary, threshold: number): Draft {
  const test = mannWhitneyU(now.sample, base.sample, 'greater');
  const change = relative(now.p50Seconds, base.p50Seconds);
  return {
    ...common,
    metric: 'p50',
    baseline: base.p50Seconds,
    recent: now.p50Seconds,
    relativeChange: change,
    effectSize: test.rankBiserial,
    effectName: 'rank-biserial r',
    test: METRIC_TESTS.p50,
    p: test.p,
    large: change !== null && change > threshold,
  };
}

function p95Draft(common: Common, base: GroupSummary, now: GroupSummary, threshold: number): Draft {
  const limit = base.p95Seconds ?? Number.POSITIVE_INFINITY;
  const baseAbove = base.sample.filter((v) => v > limit).length;
  const test = twoProportionZTest(
    now.aboveThreshold,
    now.timed,
    baseAbove,
    base.sample.length,
    'greater',
  );
  const change = relative(now.p95Seconds, base.p95Seconds);
  return {
    ...common,
    metric: 'p95',
    baseline: base.p95Seconds,
    recent: now.p95Seconds,
    relativeChange: change,
    effectSize: now.timed > 0 ? now.aboveThreshold / now.timed : 0,
    effectName: 'share above baseline p95',
    test: METRIC_TESTS.p95,
    p: test.p,
    large: change !== null && change > threshold,
  };
}

function errorDraft(
  common: Common,
  base: GroupSummary,
  now: GroupSummary,
  threshold: number,
): Draft {
  const test = twoProportionZTest(now.failures, now.count, base.failures, base.count, 'greater');
  const change = relative(now.errorRate, base.errorRate);
  return {
    ...common,
    metric: 'error_rate',
    baseline: base.errorRate,
    recent: now.errorRate,
    relativeChange: change,
    effectSize: now.errorRate - base.errorRate,
    effectName: 'risk difference',
    test: METRIC_TESTS.error_rate,
    p: test.p,
    large: change !== null && change > threshold,
  };
}

function throughputDraft(
  common: Common,
  base: GroupSummary,
  recentCount: number,
  recentHours: number,
  threshold: number,
): Draft {
  const recentRate = recentHours > 0 ? recentCount / recentHours : 0;
  const test = poissonRateTest(recentCount, recentHours, base.count, base.windowHours, 'less');
  const change = relative(recentRate, base.throughputPerHour);
  return {
    ...common,
    metric: 'throughput',
    baseline: base.throughputPerHour,
    recent: recentRate,
    relativeChange: change,
    effectSize: base.throughputPerHour > 0 ? recentRate / base.throughputPerHour : 0,
    effectName: 'rate ratio',
    test: METRIC_TESTS.throughput,
    p: test.p,
    large: change !== null && change < -threshold,
  };
}
