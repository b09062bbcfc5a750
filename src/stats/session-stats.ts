import { monotonicSeconds } from '../core/clock.js';
import { printable } from '../core/printable.js';
import { readSafely } from '../core/safe-read.js';
import {
  OperationStats,
  type OperationStatsSnapshot,
  type OperationStatsState,
} from './operation-stats.js';
import type { SketchState } from './quantile-sketch.js';
import { formatStatsTable } from './stats-table.js';

/** Operation name under which operations beyond `maxOperations` are aggregated. */
export const OVERFLOW_OPERATION = '_other';

/** Options of {@link SessionStats}. */
export interface SessionStatsOptions {
  /**
   * Distinct (domain, operation) pairs kept before the rest go to operation `_other` (of domain
   * `_other` for a domain first seen past the cap). Default 1000.
   */
  maxOperations?: number;
  /** Start disabled. Default true. */
  enabled?: boolean;
}

/** Totals over every operation of the session. */
export interface SessionTotals {
  operations: number;
  items: number;
  errors: number;
  /** Percentage of operations that failed, 0–100. */
  errorRate: number;
  totalSeconds: number;
  averageSeconds: number;
  itemsPerSecond: number;
}

/** Everything the session statistics know, as a JSON-ready object. */
export interface SessionStatsSnapshot {
  uptimeSeconds: number;
  enabled: boolean;
  totals: SessionTotals;
  operations: OperationStatsSnapshot[];
}

/** The exact state of session statistics as plain data: send it to another process and merge it there. */
export interface SessionStatsState {
  operations: OperationStatsState[];
}

/**
 * In-memory statistics of the operations recorded in this process: counts, items, time,
 * errors and p50/p95/p99/p99.9 latency (±1% relative, see {@link QuantileSketch}) per operation.
 * Memory is bounded by `maxOperations` sketches. Turning it off makes `record` a single branch.
 */
export class SessionStats {
  /** When false, `record` returns at once. */
  enabled: boolean;
  private readonly maxOperations: number;
  private byDomain = new Map<string, Map<string, OperationStats>>();
  private size = 0;
  private startedAt = monotonicSeconds();

  /**
   * Creates empty session statistics. Options that cannot be read (a getter that throws, a
   * revoked Proxy) are the defaults; a `maxOperations` that is not a number ≥ 0 is 1000.
   */
  constructor(options: SessionStatsOptions = {}) {
    const read = readSafely(undefined, 'options', settingsOf, undefined, 0, options);
    this.enabled = read.enabled;
    this.maxOperations = read.maxOperations;
  }

  /** Adds one ended operation of `domain` named `operation` (NaN, infinite or negative figures count as 0). */
  record(
    domain: string,
    operation: string,
    seconds: number,
    items: number,
    success: boolean,
  ): void {
    if (!this.enabled) return;
    this.entry(printable(domain), printable(operation)).add(
      finiteOrZero(seconds),
      finiteOrZero(items),
      success === true,
    );
  }

  /** The figures of every operation and their totals. */
  snapshot(): SessionStatsSnapshot {
    const operations: OperationStatsSnapshot[] = [];
    for (const byName of this.byDomain.values()) {
      for (const stats of byName.values()) operations.push(stats.snapshot());
    }
    operations.sort(
      (a, b) => a.domain.localeCompare(b.domain) || a.operation.localeCompare(b.operation),
    );
    return {
      uptimeSeconds: monotonicSeconds() - this.startedAt,
      enabled: this.enabled,
      totals: totalsOf(operations),
      operations,
    };
  }

  /** The exact state (counts, sums, sketch buckets) of every operation, JSON-ready. */
  state(): SessionStatsState {
    const operations: OperationStatsState[] = [];
    for (const byName of this.byDomain.values()) {
      for (const stats of byName.values()) operations.push(stats.state());
    }
    return { operations };
  }

  /**
   * Adds the figures of another session's {@link state} (another worker's): the result is the
   * statistics of both sessions' operations, quantiles included (sketch buckets add exactly).
   * Operations beyond `maxOperations` go to `_other` as `record` sends them. A state (or one
   * operation of it) that cannot be read is skipped; figures that are not finite numbers ≥ 0 are 0.
   */
  merge(other: SessionStatsState): void {
    const operations = readSafely(undefined, 'state', operationsOf, undefined, 0, other);
    for (const operation of operations) {
      const state = readSafely(undefined, 'state', checkedStateOf, undefined, 0, operation);
      if (state !== undefined) this.entry(state.domain, state.operation).merge(state);
    }
  }

  /** The snapshot as an aligned plain-text table, ready to print. */
  format(): string {
    return formatStatsTable(this.snapshot());
  }

  /** Forgets every figure and restarts the uptime clock. */
  reset(): void {
    this.byDomain = new Map();
    this.size = 0;
    this.startedAt = monotonicSeconds();
  }

  private entry(domain: string, operation: string): OperationStats {
    let byName = this.byDomain.get(domain);
    if (byName === undefined) {
      if (this.size >= this.maxOperations && domain !== OVERFLOW_OPERATION) {
        return this.entry(OVERFLOW_OPERATION, operation);
      }
      byName = new Map();
      this.byDomain.set(domain, byName);
    }
    let stats = byName.get(operation);
    if (stats !== undefined) return stats;
    const name = this.size < this.maxOperations ? operation : OVERFLOW_OPERATION;
    stats = byName.get(name);
    if (stats === undefined) {
      stats = new OperationStats(domain, name);
      byName.set(name, stats);
      this.size++;
    }
    return stats;
  }
}

/** The settings of a {@link SessionStats}, read from its options. */
interface Settings {
  readonly enabled: boolean;
  readonly maxOperations: number;
}

const DEFAULT_SETTINGS: Settings = Object.freeze({ enabled: true, maxOperations: 1000 });

/** The settings `options` give (the defaults without them). */
function settingsOf(_: number, options: SessionStatsOptions | undefined): Settings {
  if (options === undefined || options === null) return DEFAULT_SETTINGS;
  const max = options.maxOperations;
  return {
    enabled: options.enabled !== false,
    maxOperations: max === undefined ? DEFAULT_SETTINGS.maxOperations : finiteOrZero(max, 1000),
  };
}

/** The operations of a state, copied (none when it has no array of them). */
function operationsOf(_: number, state: SessionStatsState | undefined): unknown[] {
  const operations = state?.operations;
  return Array.isArray(operations) ? Array.from(operations) : [];
}

/** One operation's state, every figure checked (undefined when it is not an object). */
function checkedStateOf(_: number, state: unknown): OperationStatsState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const s = state as Partial<Record<keyof OperationStatsState, unknown>>;
  const latency = (s.latency ?? {}) as Partial<Record<keyof SketchState, unknown>>;
  const counts = Array.isArray(latency.counts) ? latency.counts.map((n) => finiteOrZero(n)) : [];
  return {
    domain: printable(s.domain),
    operation: printable(s.operation),
    operations: finiteOrZero(s.operations),
    items: finiteOrZero(s.items),
    errors: finiteOrZero(s.errors),
    totalSeconds: finiteOrZero(s.totalSeconds),
    minSeconds: s.minSeconds === null ? null : finiteOrZero(s.minSeconds),
    maxSeconds: finiteOrZero(s.maxSeconds),
    latency: {
      offset: Number.isSafeInteger(latency.offset) ? (latency.offset as number) : 0,
      counts,
      zeroCount: finiteOrZero(latency.zeroCount),
    },
  };
}

/** A finite number ≥ 0 as it is; anything else (NaN, ±Infinity, negatives, BigInt, objects) as 0. */
function finiteOrZero(value: unknown, otherwise = 0): number {
  return typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY
    ? value
    : otherwise;
}

function totalsOf(operations: readonly OperationStatsSnapshot[]): SessionTotals {
  let count = 0;
  let items = 0;
  let errors = 0;
  let seconds = 0;
  for (const op of operations) {
    count += op.operations;
    items += op.items;
    errors += op.errors;
    seconds += op.totalSeconds;
  }
  return {
    operations: count,
    items,
    errors,
    errorRate: count > 0 ? (errors / count) * 100 : 0,
    totalSeconds: seconds,
    averageSeconds: count > 0 ? seconds / count : 0,
    itemsPerSecond: seconds > 0 ? items / seconds : 0,
  };
}
