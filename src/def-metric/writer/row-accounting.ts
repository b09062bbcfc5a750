import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_REASON,
  DROP_REASON_CLOSE_DEADLINE,
  DROP_REASON_CONFIG_ERROR,
  DROP_REASON_QUEUE_FULL,
  type DropReason,
  type FixReason,
  METRIC_ROWS_DROPPED,
  METRIC_ROWS_FIXED,
  METRIC_ROWS_REJECTED,
  METRIC_ROWS_SPILLED,
  METRIC_ROWS_WRITTEN,
  type RejectReason,
} from '../semconv.js';
import type { RateLimitedWarner } from './warner.js';

/** Rows by outcome since the writer started. */
export interface RowTotals {
  /** Rows the database accepted. */
  readonly written: number;
  /** Rows refused on their own. */
  readonly rejected: number;
  /** Rows that never reached the database. */
  readonly dropped: number;
  /** Rows that had at least one value fixed. */
  readonly fixed: number;
}

/**
 * Counts the outcome of every row on the `opmeter.rows.*` counters and in running totals, knows
 * how many accepted rows are settled (for `flush()`), and warns (rate-limited) about rejected and
 * dropped rows.
 */
export class RowAccounting {
  private readonly droppedCounter: Counter;
  private readonly writtenCounter: Counter;
  private readonly rejectedCounter: Counter;
  private readonly fixedCounter: Counter;
  private readonly spilledCounter: Counter;
  private readonly totals = { written: 0, rejected: 0, dropped: 0, fixed: 0 };
  private acceptedRows = 0;
  private settledRows = 0;

  /** Creates the counters on `meter`; `queueCapacity` is named in the queue-full warning. */
  constructor(
    meter: Meter,
    private readonly warner: RateLimitedWarner,
    private readonly queueCapacity: number,
  ) {
    const counter = (name: string, description: string) =>
      meter.createCounter(name, { description, unit: '{row}' });
    this.droppedCounter = counter(
      METRIC_ROWS_DROPPED,
      'def_metric rows dropped before reaching the database',
    );
    this.writtenCounter = counter(METRIC_ROWS_WRITTEN, 'def_metric rows written to the database');
    this.rejectedCounter = counter(
      METRIC_ROWS_REJECTED,
      'def_metric rows refused because of their values',
    );
    this.fixedCounter = counter(
      METRIC_ROWS_FIXED,
      'def_metric rows written after a value was fixed',
    );
    this.spilledCounter = counter(
      METRIC_ROWS_SPILLED,
      'def_metric rows kept in the local spill journal until the database takes them',
    );
  }

  /** Rows accepted into the queue so far. */
  get accepted(): number {
    return this.acceptedRows;
  }

  /** Accepted rows that have since been written, rejected or dropped. */
  get settled(): number {
    return this.settledRows;
  }

  /** The totals so far, as a new object. */
  snapshot(): RowTotals {
    return { ...this.totals };
  }

  /** Counts `count` rows accepted (into the queue, or found in the spill journal at start-up). */
  accept(count = 1): void {
    this.acceptedRows += count;
  }

  /** Counts `count` rows of `table` moved to the spill journal (still waiting to be written). */
  spilled(table: string, count: number): void {
    if (count > 0) this.spilledCounter.add(count, { [ATTR_DB_COLLECTION_NAME]: table });
  }

  /** Settles every row still outstanding, on close, when they stay in the spill journal for the next start. */
  settleKept(): void {
    this.settledRows = Math.max(this.settledRows, this.acceptedRows);
  }

  /** Counts `count` rows of `table` written. */
  written(table: string, count: number): void {
    this.totals.written += count;
    this.settledRows += count;
    this.writtenCounter.add(count, { [ATTR_DB_COLLECTION_NAME]: table });
  }

  /** Counts one row of `table` rejected for `reason` and warns with `detail`. */
  rejected(table: string, reason: RejectReason, detail: string): void {
    this.totals.rejected += 1;
    this.settledRows += 1;
    this.rejectedCounter.add(1, attributes(reason, table));
    this.warner.warn(
      `reject:${table}:${reason}`,
      `row for ${table} rejected (${reason}: ${detail})`,
    );
  }

  /** Counts one row of `table` that had `fixes` applied (nothing when there are none). */
  fixed(table: string, fixes: readonly FixReason[]): void {
    for (const reason of new Set(fixes)) {
      this.fixedCounter.add(1, attributes(reason, table));
    }
    if (fixes.length > 0) this.totals.fixed += 1;
  }

  /** Counts `count` dropped rows; `waited` when they had been accepted into the queue. */
  dropped(reason: DropReason, table: string, count: number, waited = false): void {
    if (count === 0) return;
    this.totals.dropped += count;
    if (waited || reason === DROP_REASON_CLOSE_DEADLINE) this.settledRows += count;
    this.droppedCounter.add(count, attributes(reason, table));
    // A configuration error was reported once already, naming its fix.
    if (reason === DROP_REASON_CONFIG_ERROR) return;
    this.warner.warn(
      `drop:${reason}`,
      reason === DROP_REASON_QUEUE_FULL
        ? `queue full (${this.queueCapacity} rows waiting): new rows are dropped until the database catches up`
        : `rows dropped (${reason}) for ${table}`,
    );
  }
}

function attributes(reason: string, table: string): Attributes {
  return { [ATTR_REASON]: reason, [ATTR_DB_COLLECTION_NAME]: table };
}
