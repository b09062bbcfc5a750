import { type Alternative, pValueOfZ } from './normal.js';

/** A z statistic and its p-value. */
export interface ZTestResult {
  readonly z: number;
  readonly p: number;
}

const NO_EVIDENCE: ZTestResult = { z: 0, p: 1 };

/**
 * Pooled two-proportion z-test of x1/n1 against x2/n2 (`greater`: the first proportion is higher).
 * Used for error rates: a failure is a yes/no outcome per operation.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  alternative: Alternative = 'two-sided',
): ZTestResult {
  if (n1 <= 0 || n2 <= 0) return NO_EVIDENCE;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return NO_EVIDENCE;
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: pValueOfZ(z, alternative) };
}

/**
 * Compares two Poisson rates, count1 events in exposure1 against count2 in exposure2 (e.g.
 * operations per hour), by the conditional test: given the total, count1 is binomial with
 * probability exposure1 / (exposure1 + exposure2) under equal rates (normal approximation).
 */
export function poissonRateTest(
  count1: number,
  exposure1: number,
  count2: number,
  exposure2: number,
  alternative: Alternative = 'two-sided',
): ZTestResult {
  const total = count1 + count2;
  if (total === 0 || !(exposure1 > 0) || !(exposure2 > 0)) return NO_EVIDENCE;
  return binomialZTest(count1, total, exposure1 / (exposure1 + exposure2), alternative);
}

/**
 * Normal approximation of a binomial test: `successes` of `trials` against probability `p0`, with
 * a continuity correction. Used for tail exceedance: how many recent operations are slower than
 * the baseline's p95, against the 5% expected when nothing changed.
 */
export function binomialZTest(
  successes: number,
  trials: number,
  p0: number,
  alternative: Alternative = 'two-sided',
): ZTestResult {
  if (trials <= 0 || !(p0 > 0 && p0 < 1)) return NO_EVIDENCE;
  const deviation = successes - trials * p0;
  const corrected =
    alternative === 'greater'
      ? deviation - 0.5
      : alternative === 'less'
        ? deviation + 0.5
        : Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  const z = corrected / Math.sqrt(trials * p0 * (1 - p0));
  return { z, p: pValueOfZ(z, alternative) };
}
