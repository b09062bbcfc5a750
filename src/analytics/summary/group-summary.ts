import { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from '../../stats/quantile-sketch.js';
import { Reservoir } from '../statistics/reservoir.js';

/** Relative accuracy of every percentile the analytics report (the session statistics' sketch). */
export const PERCENTILE_RELATIVE_ACCURACY = SKETCH_RELATIVE_ACCURACY;

/** Default size of the random sample of ElapsedSeconds kept per group for the rank test. */
export const DEFAULT_SAMPLE_SIZE = 2_000;

/** The statistics of one code/operation over a time window. */
export interface GroupSummary {
  readonly code: string;
  readonly operation: string;
  readonly count: number;
  readonly failures: number;
  /** Failures / count, 0–1. */
  readonly errorRate: number;
  readonly meanSeconds: number | null;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
  readonly p95Seconds: number | null;
  readonly p99Seconds: number | null;
  readonly p999Seconds: number | null;
  /** Operations per hour over the window. */
  readonly throughputPerHour: number;
  /** Items over elapsed seconds, when the table counts items. */
  readonly itemsPerSecond: number | null;
  readonly memoryAvgMB: number | null;
  readonly memoryMaxMB: number | null;
  readonly windowHours: number;
  /** A uniform random sample of the group's ElapsedSeconds (at most the sample size). */
  readonly sample: readonly number[];
  /** Values above the group's exceedance threshold, when one was given (e.g. a baseline p95). */
  readonly aboveThreshold: number;
  /** Values of ElapsedSeconds seen (rows whose ElapsedSeconds is not NULL). */
  readonly timed: number;
}

/** The key of a code/operation pair in maps. */
export function groupKey(code: string, operation: string): string {
  return JSON.stringify([code, operation]);
}

/** Totals that SQL computes per group (GROUP BY), merged with the streamed percentiles. */
export interface GroupTotals {
  count: number;
  failures: number;
  sumSeconds: number;
  memoryAvgMB: number | null;
  memoryMaxMB: number | null;
  items: number | null;
}

/** Collects the streamed ElapsedSeconds of one group: a ±1% sketch and a bounded sample. */
export class GroupAccumulator {
  private readonly sketch = new QuantileSketch();
  private readonly reservoir: Reservoir;
  private above = 0;

  /** Creates an empty accumulator; `threshold` counts values above it (e.g. a baseline p95). */
  constructor(
    readonly code: string,
    readonly operation: string,
    sampleSize: number,
    seed: number,
    private readonly threshold: number | undefined,
  ) {
    this.reservoir = new Reservoir(sampleSize, seed);
  }

  /** Adds one ElapsedSeconds value. */
  add(seconds: number): void {
    this.sketch.add(seconds);
    this.reservoir.add(seconds);
    if (this.threshold !== undefined && seconds > this.threshold) this.above++;
  }

  /** The summary, given the SQL totals of the group and the window length. */
  summarise(totals: GroupTotals, windowHours: number): GroupSummary {
    const quantile = (q: number) => this.sketch.quantile(q) ?? null;
    return {
      code: this.code,
      operation: this.operation,
      count: totals.count,
      failures: totals.failures,
      errorRate: totals.count > 0 ? totals.failures / totals.count : 0,
      meanSeconds: this.sketch.count > 0 ? totals.sumSeconds / this.sketch.count : null,
      p50Seconds: quantile(0.5),
      p90Seconds: quantile(0.9),
      p95Seconds: quantile(0.95),
      p99Seconds: quantile(0.99),
      p999Seconds: quantile(0.999),
      throughputPerHour: windowHours > 0 ? totals.count / windowHours : 0,
      itemsPerSecond:
        totals.items !== null && totals.sumSeconds > 0 ? totals.items / totals.sumSeconds : null,
      memoryAvgMB: totals.memoryAvgMB,
      memoryMaxMB: totals.memoryMaxMB,
      windowHours,
      sample: this.reservoir.values(),
      aboveThreshold: this.above,
      timed: this.sketch.count,
    };
  }
}
