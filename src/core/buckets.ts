/**
 * Default histogram bucket boundaries, in seconds, per kind of operation. Each series is dense
 * enough that `histogram_quantile()` over it lands close to the true p50/p95/p99 (see
 * test/core/bucket-accuracy.test.ts for the bound that is proven).
 */

/** 10 µs to 10 s, about six boundaries per decade: events are tiny and frequent. */
export const EVENT_DURATION_BUCKETS: readonly number[] = Object.freeze(
  decades(0.00001, 10, [1, 1.5, 2, 3, 5, 7.5]),
);

/** The OTel HTTP semantic-conventions boundaries for `http.*.request.duration`. */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** 50 ms to 2 min: delivering a notification (SMTP, SMS gateway, push, webhook). */
export const NOTIFY_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30, 60, 120,
]);

/** 100 ms to 8 h: workflow runs last minutes to hours. */
export const WORKFLOW_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 45, 60, 90, 120, 180, 300, 450, 600, 900, 1200, 1800, 2700,
  3600, 5400, 7200, 10800, 14400, 21600, 28800,
]);

/** 10 ms to 1 h: one file of a batch job. */
export const BATCH_FILE_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600,
]);

/** Thrown at configuration time when bucket boundaries cannot be used. */
export class InvalidBucketsError extends Error {
  override name = 'InvalidBucketsError';
}

/**
 * Checks that `boundaries` are finite, non-negative and strictly increasing, and returns a copy.
 * @throws InvalidBucketsError naming the first offending value and how to fix it.
 */
export function validateBoundaries(
  boundaries: readonly number[],
  what = 'bucket boundaries',
): number[] {
  if (!Array.isArray(boundaries) || boundaries.length === 0) {
    throw new InvalidBucketsError(`${what}: expected a non-empty array of numbers in seconds`);
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (const [index, value] of boundaries.entries()) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidBucketsError(
        `${what}: value ${String(value)} at index ${index} is not a finite number >= 0; ` +
          'remove it or replace it with a duration in seconds',
      );
    }
    if (value <= previous) {
      throw new InvalidBucketsError(
        `${what}: value ${value} at index ${index} is not greater than ${previous}; ` +
          'boundaries must be sorted ascending without duplicates',
      );
    }
    previous = value;
  }
  return [...boundaries];
}

/**
 * Returns `boundaries` with every service-level objective threshold guaranteed to be a bucket
 * edge (like Micrometer's `serviceLevelObjectives`), so `le="<slo>"` counts are exact.
 * @throws InvalidBucketsError when either list is invalid.
 */
export function withSloBoundaries(
  boundaries: readonly number[],
  slo: readonly number[] = [],
): number[] {
  const base = validateBoundaries(boundaries);
  if (slo.length === 0) return base;
  const thresholds = validateBoundaries(
    [...slo].sort((a, b) => a - b),
    'SLO thresholds',
  );
  return [...new Set([...base, ...thresholds])].sort((a, b) => a - b);
}

function decades(from: number, to: number, mantissas: readonly number[]): number[] {
  const out: number[] = [];
  for (let decade = from; decade < to * 1.0001; decade *= 10) {
    for (const m of mantissas) {
      const value = Number((decade * m).toPrecision(6));
      if (value <= to * 1.0001) out.push(value);
    }
  }
  return out;
}
