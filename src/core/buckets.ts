import { OpmeterConfigError } from './config-error.js';

/**
 * Default histogram bucket boundaries, in seconds, per kind of operation, in two presets:
 *
 * - `'default'`: at most {@link DEFAULT_BUCKET_BUDGET} finite boundaries per histogram (the HTTP
 *   histograms: exactly the 14 OTel semantic-conventions boundaries), placed over the range the
 *   domain's operations realistically take, with round edges (1-2.5-5 below a minute, minutes and
 *   hours above). Each histogram series costs at most 19 Prometheus series.
 * - `'fine'`: the R10 preferred-number series (1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8 per decade,
 *   each edge about 26% above the previous one) over a wider range, 41–59 boundaries, for users
 *   who want `histogram_quantile()` within a few percent and accept ~3× the series.
 *
 * docs/buckets.md states the boundaries, the series and the measured `histogram_quantile()` error
 * of every preset; test/core/bucket-accuracy.test.ts proves the stated bounds.
 */

/** The R10 preferred numbers: ten geometric steps per decade. */
const R10 = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8] as const;

/** Most finite boundaries a default (`'default'` preset) duration histogram has. */
export const DEFAULT_BUCKET_BUDGET = 16;

/** Names of the boundary presets every duration histogram offers. */
export type BucketPreset = 'default' | 'fine';

/** The names {@link BucketPreset} can take, for validation and documentation. */
export const BUCKET_PRESETS: readonly BucketPreset[] = Object.freeze(['default', 'fine']);

/**
 * The `buckets` option of a duration histogram: a preset name or explicit boundaries in seconds.
 * @example buckets: 'fine'              // the R10 preset of the domain
 * @example buckets: [0.1, 0.5, 1, 5]    // explicit boundaries
 */
export type DurationBuckets = BucketPreset | readonly number[];

/** The boundaries behind each preset of one duration histogram. */
export type BucketPresets = Readonly<Record<BucketPreset, readonly number[]>>;

/** The OTel HTTP semantic-conventions boundaries for `http.*.request.duration`. */
export const HTTP_SEMCONV_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** 50 µs to 5 s in 1-2.5-5 steps (16 edges): in-process event handlers. */
export const EVENT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  5,
]);

/** The `'fine'` event preset: R10 from 10 µs to 5 s (58 edges). */
export const EVENT_DURATION_BUCKETS_FINE: readonly number[] = Object.freeze(r10Series(0.00001, 5));
/** Both presets of `event.processing.duration`. */
export const EVENT_DURATION_PRESETS: BucketPresets = presets(
  EVENT_DURATION_BUCKETS,
  EVENT_DURATION_BUCKETS_FINE,
);

/** 5 ms to 10 s: exactly the OTel HTTP semantic-conventions edges, {@link HTTP_SEMCONV_BUCKETS}. */
export const HTTP_DURATION_BUCKETS: readonly number[] = HTTP_SEMCONV_BUCKETS;

/**
 * The `'fine'` HTTP preset: 2 ms to 10 s (41 edges), every semantic-conventions boundary kept as
 * an edge and refined with the R10 series in between.
 */
export const HTTP_DURATION_BUCKETS_FINE: readonly number[] = Object.freeze(
  merge(r10Series(0.002, 10), HTTP_SEMCONV_BUCKETS),
);
/** Both presets of `http.server.request.duration` and `http.client.request.duration`. */
export const HTTP_DURATION_PRESETS: BucketPresets = presets(
  HTTP_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS_FINE,
);

/** 25 ms to 2 min in 1-2-3-5 steps (16 edges): delivering a notification. */
export const NOTIFY_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 1.5, 2, 3, 5, 10, 20, 30, 60, 120,
]);

/** The `'fine'` notify preset: R10 from 10 ms to 100 s (41 edges). */
export const NOTIFY_DURATION_BUCKETS_FINE: readonly number[] = Object.freeze(r10Series(0.01, 120));
/** Both presets of `notify.duration`. */
export const NOTIFY_DURATION_PRESETS: BucketPresets = presets(
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_DURATION_BUCKETS_FINE,
);

/** 1 s to 8 h (16 edges): seconds, then whole minutes and hours; workflow runs. */
export const WORKFLOW_DURATION_BUCKETS: readonly number[] = Object.freeze([
  1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800,
]);

/** The `'fine'` workflow preset: R10 from 100 ms to 25,000 s (55 edges). */
export const WORKFLOW_DURATION_BUCKETS_FINE: readonly number[] = Object.freeze(
  r10Series(0.1, 28800),
);
/** Both presets of `workflow.duration`. */
export const WORKFLOW_DURATION_PRESETS: BucketPresets = presets(
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS_FINE,
);

/** 50 ms to 1 h (16 edges): 1-2.5-5 up to 10 s, then 20 s, 30 s and minutes; one batch file. */
export const BATCH_FILE_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600,
]);

/** The `'fine'` batch-file preset: R10 from 5 ms to 3,150 s (59 edges). */
export const BATCH_FILE_DURATION_BUCKETS_FINE: readonly number[] = Object.freeze(
  r10Series(0.005, 3600),
);
/** Both presets of `batch.file.duration`. */
export const BATCH_FILE_DURATION_PRESETS: BucketPresets = presets(
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_FILE_DURATION_BUCKETS_FINE,
);

/** Thrown at configuration time when bucket boundaries cannot be used. */
export class InvalidBucketsError extends OpmeterConfigError {
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
  if (!Array.isArray(slo)) {
    throw new InvalidBucketsError(
      `SLO thresholds must be an array of seconds such as [0.3, 1], got ${typeof slo}`,
    );
  }
  if (slo.length === 0) return base;
  const thresholds = validateBoundaries(
    [...slo].sort((a, b) => a - b),
    'SLO thresholds',
  );
  return [...new Set([...base, ...thresholds])].sort((a, b) => a - b);
}

/**
 * Resolves a duration histogram's `buckets` option (a preset name, explicit boundaries, or
 * absent for `'default'`) against the domain's `presets`, then adds the `slo` thresholds as edges.
 * @throws InvalidBucketsError for an unknown preset name or invalid boundaries or thresholds.
 * @example resolveBuckets(config.buckets, { default: X_BUCKETS, fine: X_BUCKETS_FINE }, config.slo)
 */
export function resolveBuckets(
  buckets: DurationBuckets | undefined,
  presets: BucketPresets,
  slo?: readonly number[],
): number[] {
  if (buckets === undefined) return withSloBoundaries(presets.default, slo);
  if (typeof buckets !== 'string') return withSloBoundaries(buckets, slo);
  if (!BUCKET_PRESETS.includes(buckets)) {
    const names = BUCKET_PRESETS.map((name) => `'${name}'`).join(' or ');
    throw new InvalidBucketsError(
      `buckets: unknown preset ${JSON.stringify(buckets)}; use ${names} or an array of boundaries in seconds`,
    );
  }
  return withSloBoundaries(presets[buckets], slo);
}

/** Builds a frozen {@link BucketPresets} from a domain's default and fine boundaries. */
export function presets(defaults: readonly number[], fine: readonly number[]): BucketPresets {
  return Object.freeze({ default: defaults, fine });
}

/** The R10 preferred numbers from `from` to `to` seconds (both within 0.01%): a `'fine'` preset. */
export function r10Series(from: number, to: number): number[] {
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
