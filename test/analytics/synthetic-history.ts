import { seededRandom } from '../../src/analytics/statistics/reservoir.js';

/** One generated operation. */
export interface SyntheticRow {
  readonly code: string;
  readonly operation: string;
  readonly timeMs: number;
  /** Serial number of the row; {@link guidOf} makes its AxionImportGuid. */
  readonly serial: number;
  readonly elapsed: number;
  readonly success: boolean;
  readonly memoryMB: number;
  readonly items: number;
  /** True for the 0.5% injected outliers (10× duration, 4× memory). */
  readonly outlier: boolean;
}

/** The operations of the synthetic history and their median durations (seconds). */
export const OPERATIONS = [
  { code: 'orders', operation: 'load', median: 0.8, errorRate: 0.02 },
  { code: 'orders', operation: 'parse', median: 0.25, errorRate: 0.01 },
  { code: 'orders', operation: 'save', median: 1.5, errorRate: 0.02 },
  { code: 'stock', operation: 'sync', median: 3, errorRate: 0.03 },
  { code: 'stock', operation: 'index', median: 0.05, errorRate: 0.005 },
] as const;

/** The injected changes in the recent window. */
export const INJECTED = {
  /** p95 of orders/parse 30% slower (only its slowest fifth slows down: p50 stays). */
  p95Slowdown: { code: 'orders', operation: 'parse' },
  /** Error rate of orders/save doubled. */
  doubledErrors: { code: 'orders', operation: 'save' },
} as const;

/** Options of {@link syntheticHistory}. */
export interface SyntheticOptions {
  readonly seed: number;
  /** End of the history (epoch ms); the recent window is the last `recentHours` before it. */
  readonly nowMs: number;
  readonly baselineHours?: number;
  readonly recentHours?: number;
  /** Operations per hour per code/operation. */
  readonly perHour?: number;
  /** Inject the changes in the recent window (default true). */
  readonly inject?: boolean;
}

const SIGMA = 0.3;
/** z of the 80th and 95th percentiles of a normal distribution. */
const Z80 = 0.8416;
const Z95 = 1.6449;

/**
 * A reproducible history: lognormal durations (σ = 0.3 on the log scale), fixed error rates, 0.5%
 * outliers everywhere, and in the recent window a 30% p95 slowdown and a doubled error rate.
 */
export function* syntheticHistory(options: SyntheticOptions): Generator<SyntheticRow> {
  const random = seededRandom(options.seed);
  const normal = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const baselineHours = options.baselineHours ?? 48;
  const recentHours = options.recentHours ?? 24;
  const perHour = options.perHour ?? 250;
  const hours = baselineHours + recentHours;
  const start = options.nowMs - hours * 3_600_000;
  const recentFrom = options.nowMs - recentHours * 3_600_000;
  let serial = 0;
  for (let hour = 0; hour < hours; hour++) {
    for (const op of OPERATIONS) {
      for (let i = 0; i < perHour; i++) {
        const timeMs = Math.floor(start + (hour + random()) * 3_600_000);
        const recent = timeMs >= recentFrom && options.inject !== false;
        let elapsed = op.median * Math.exp(SIGMA * normal());
        if (recent && op.operation === INJECTED.p95Slowdown.operation) {
          elapsed = slowTail(elapsed, op.median);
        }
        const outlier = random() < 0.005;
        if (outlier) elapsed *= 10;
        const errorRate =
          recent && op.operation === INJECTED.doubledErrors.operation
            ? op.errorRate * 2
            : op.errorRate;
        serial++;
        yield {
          code: op.code,
          operation: op.operation,
          timeMs,
          serial,
          elapsed: Math.round(elapsed * 1000) / 1000,
          success: random() >= errorRate,
          memoryMB: Math.round((outlier ? 4 : 1) * 120 * Math.exp(0.1 * normal()) * 100) / 100,
          items: 100,
          outlier,
        };
      }
    }
  }
}

/** Stretches the part above the 80th percentile so that the 95th moves up 30%. */
function slowTail(elapsed: number, median: number): number {
  const p80 = median * Math.exp(SIGMA * Z80);
  const p95 = median * Math.exp(SIGMA * Z95);
  if (elapsed <= p80) return elapsed;
  const stretch = (1.3 * p95 - p80) / (p95 - p80);
  return p80 + (elapsed - p80) * stretch;
}

/** The AxionImportGuid of a generated row. */
export function guidOf(serial: number): string {
  return `00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`;
}
