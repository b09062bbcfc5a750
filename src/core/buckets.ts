/**
 * Default histogram bucket boundaries, in seconds, per kind of operation. They follow the R10
 * preferred-number series (1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8 per decade: each edge about
 * 26% above the previous one), which keeps Prometheus' `histogram_quantile()` within a few percent
 * of the true p50/p95/p99 (test/core/bucket-accuracy.test.ts proves the stated bound).
 */

/** The R10 preferred numbers: ten geometric steps per decade. */
const R10 = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8] as const;

/** The OTel HTTP semantic-conventions boundaries for `http.*.request.duration`. */
export const HTTP_SEMCONV_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** 10 µs to 5 s: events are tiny and frequent. */
export const EVENT_DURATION_BUCKETS: readonly number[] = Object.freeze(series(0.00001, 5));

/**
 * 2 ms to 10 s for HTTP requests: every OTel semantic-conventions boundary
 * ({@link HTTP_SEMCONV_BUCKETS}) is kept as an edge, refined with the R10 series in between.
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze(
  merge(series(0.002, 10), HTTP_SEMCONV_BUCKETS),
);

/** 10 ms to 2 min: delivering a notification (SMTP, SMS gateway, push, webhook). */
export const NOTIFY_DURATION_BUCKETS: readonly number[] = Object.freeze(series(0.01, 120));

/** 100 ms to 8 h: workflow runs last minutes to hours. */
export const WORKFLOW_DURATION_BUCKETS: readonly number[] = Object.freeze(series(0.1, 28800));

/** 5 ms to 1 h: one file of a batch job. */
export const BATCH_FILE_DURATION_BUCKETS: readonly number[] = Object.freeze(series(0.005, 3600));

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

function series(from: number, to: number): number[] {
  const out: number[] = [];
  const firstDecade = Math.floor(Math.log10(from));
  const lastDecade = Math.ceil(Math.log10(to));
  for (let exponent = firstDecade; exponent <= lastDecade; exponent++) {
    for (const mantissa of R10) {
      const value = Number((mantissa * 10 ** exponent).toPrecision(4));
      if (value >= from * 0.9999 && value <= to * 1.0001) out.push(value);
    }
  }
  return out;
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
