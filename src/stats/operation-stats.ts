import { QuantileSketch, type SketchState } from './quantile-sketch.js';

/** Figures of one operation (or of all of them) as a JSON-ready object. */
export interface OperationStatsSnapshot {
  domain: string;
  operation: string;
  operations: number;
  items: number;
  errors: number;
  /** Percentage of operations that failed, 0–100. */
  errorRate: number;
  totalSeconds: number;
  averageSeconds: number;
  /** Items divided by the summed operation time (0 when no time was spent). */
  itemsPerSecond: number;
  minSeconds: number | null;
  maxSeconds: number | null;
  p50Seconds: number | null;
  p95Seconds: number | null;
  p99Seconds: number | null;
  /** The 99.9th percentile (±1% relative, like the others). */
  p999Seconds: number | null;
}

/** The exact state of one operation's figures, to merge in another process. */
export interface OperationStatsState {
  domain: string;
  operation: string;
  operations: number;
  items: number;
  errors: number;
  totalSeconds: number;
  /** `null` when no operation ended. */
  minSeconds: number | null;
  maxSeconds: number;
  latency: SketchState;
}

/** Running totals and a latency sketch for one operation. */
export class OperationStats {
  operations = 0;
  items = 0;
  errors = 0;
  totalSeconds = 0;
  minSeconds = Number.POSITIVE_INFINITY;
  maxSeconds = 0;
  private readonly latency = new QuantileSketch();

  /** Creates empty statistics for `operation` of `domain`. */
  constructor(
    readonly domain: string,
    readonly operation: string,
  ) {}

  /** Adds one ended operation. */
  add(seconds: number, items: number, success: boolean): void {
    this.operations++;
    this.items += items;
    this.totalSeconds += seconds;
    if (!success) this.errors++;
    if (seconds < this.minSeconds) this.minSeconds = seconds;
    if (seconds > this.maxSeconds) this.maxSeconds = seconds;
    this.latency.add(seconds);
  }

  /** The exact state, as plain data. */
  state(): OperationStatsState {
    return {
      domain: this.domain,
      operation: this.operation,
      operations: this.operations,
      items: this.items,
      errors: this.errors,
      totalSeconds: this.totalSeconds,
      minSeconds: this.operations > 0 ? this.minSeconds : null,
      maxSeconds: this.maxSeconds,
      latency: this.latency.state(),
    };
  }

  /** Adds another state's figures: counts and sums add, min/max combine, sketches merge exactly. */
  merge(other: OperationStatsState): void {
    this.operations += other.operations;
    this.items += other.items;
    this.errors += other.errors;
    this.totalSeconds += other.totalSeconds;
    if (other.minSeconds !== null && other.minSeconds < this.minSeconds) {
      this.minSeconds = other.minSeconds;
    }
    if (other.maxSeconds > this.maxSeconds) this.maxSeconds = other.maxSeconds;
    this.latency.merge(other.latency);
  }

  /** The current figures. */
  snapshot(): OperationStatsSnapshot {
    const n = this.operations;
    return {
      domain: this.domain,
      operation: this.operation,
      operations: n,
      items: this.items,
      errors: this.errors,
      errorRate: n > 0 ? (this.errors / n) * 100 : 0,
      totalSeconds: this.totalSeconds,
      averageSeconds: n > 0 ? this.totalSeconds / n : 0,
      itemsPerSecond: this.totalSeconds > 0 ? this.items / this.totalSeconds : 0,
      minSeconds: n > 0 ? this.minSeconds : null,
      maxSeconds: n > 0 ? this.maxSeconds : null,
      p50Seconds: this.latency.quantile(0.5) ?? null,
      p95Seconds: this.latency.quantile(0.95) ?? null,
      p99Seconds: this.latency.quantile(0.99) ?? null,
      p999Seconds: this.latency.quantile(0.999) ?? null,
    };
  }
}
