import { type Attributes, type Counter, type MeterProvider, metrics } from '@opentelemetry/api';
import type { DefMetricRow, RowSink } from '../core/row-sink.js';
import type { DefMetricDialect, SqlValue } from './dialect.js';
import { migrate } from './migrate.js';
import { DEFAULT_RETENTION, deleteExpiredRows, type RetentionOptions } from './retention.js';
import { RingBuffer } from './ring-buffer.js';
import { compileRowNormaliser, type RowNormaliser } from './row-normaliser.js';
import type { SchemaRegistry } from './schema-registry.js';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_REASON,
  DROP_REASON_CLOSE_DEADLINE,
  DROP_REASON_CLOSED,
  DROP_REASON_CONFIG_ERROR,
  DROP_REASON_QUEUE_FULL,
  type DropReason,
  METRIC_ROWS_DROPPED,
  METRIC_ROWS_FIXED,
  METRIC_ROWS_REJECTED,
  METRIC_ROWS_WRITTEN,
  REJECT_REASON_DATABASE,
  REJECT_REASON_UNKNOWN_TABLE,
  type RejectReason,
} from './semconv.js';
import type { TableModel } from './table-model.js';
import { emitProcessWarning, RateLimitedWarner } from './warner.js';
import { classifyWriteError, describeConfigError, describeError } from './write-errors.js';

/** Options of {@link DefMetricRowWriter}. */
export interface RowWriterOptions {
  /** The database to write to; the writer owns it and closes it in `close()`. */
  readonly dialect: DefMetricDialect;
  /** The tables rows may be written to. */
  readonly schemas: SchemaRegistry;
  /** Collation for `{collation}`; default: the server's utf8mb4 default. */
  readonly collation?: string;
  /** Create missing tables before the first write (default true). */
  readonly migrate?: boolean;
  /** Rows that may wait in memory; when full, new rows are dropped and counted (default 10 000). */
  readonly maxQueueSize?: number;
  /** Rows per INSERT batch; a full batch is flushed at once (default 500). */
  readonly batchSize?: number;
  /** Waiting rows are flushed at least this often (default 1000 ms). */
  readonly flushIntervalMs?: number;
  /** First retry delay after a failed write; doubles on each failure (default 200 ms). */
  readonly retryInitialMs?: number;
  /** Upper bound of the retry delay (default 30 000 ms). */
  readonly retryMaxMs?: number;
  /** Periodic deletion of old rows, or `false` to keep every row (default: 90 days, every 100 batches). */
  readonly retention?: RetentionOptions | false;
  /** Where the `opmeter.rows.*` counters go (default: the global meter provider). */
  readonly meterProvider?: MeterProvider;
  /** Receives rate-limited warnings (default: `process.emitWarning`, type OpmeterWarning). */
  readonly onWarning?: (message: string) => void;
  /** At most one warning of a kind per this interval (default 60 000 ms). */
  readonly warningIntervalMs?: number;
  /** ErrorMessage length limit before it is cut (default 5000). */
  readonly errorMessageMaxLength?: number;
}

/** Options of {@link DefMetricRowWriter.close}. */
export interface CloseOptions {
  /** How long to keep trying to write waiting rows; what is left then is dropped and counted (default 10 000 ms). */
  readonly deadlineMs?: number;
}

/** Row counts since the writer started. */
export interface RowWriterStats {
  /** Rows waiting in memory (queued or in the batch being written). */
  readonly waiting: number;
  readonly written: number;
  readonly rejected: number;
  readonly dropped: number;
  /** Written rows that had at least one value fixed. */
  readonly fixed: number;
}

interface QueuedRow {
  readonly table: string;
  readonly row: DefMetricRow;
  readonly at: number;
}

interface PendingGroup {
  readonly table: TableModel;
  values: SqlValue[][];
  /** The tables were migrated again after this group hit a configuration error. */
  remigrated?: boolean;
}

/** Grace period for a statement still running when a close deadline passes. */
const IN_FLIGHT_GRACE_MS = 1_000;

/**
 * The def_metric row writer: `enqueue` is O(1), never throws and never waits; a background flusher
 * writes multi-row INSERTs by size and by time, retries with exponential backoff while the
 * database is unreachable, and drops new rows (counted in `opmeter.rows.dropped`) when the bounded
 * queue is full. A configuration error (unknown collation, missing table, access denied) is not
 * retried: it is reported once and the rows it affects are dropped with reason `config_error`.
 */
export class DefMetricRowWriter implements RowSink {
  private readonly dialect: DefMetricDialect;
  private readonly schemas: SchemaRegistry;
  private readonly queue: RingBuffer<QueuedRow>;
  private readonly batchSize: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly retention: Required<RetentionOptions> | undefined;
  private readonly warner: RateLimitedWarner;
  private readonly normalisers = new Map<string, RowNormaliser>();
  private readonly droppedCounter: Counter;
  private readonly writtenCounter: Counter;
  private readonly rejectedCounter: Counter;
  private readonly fixedCounter: Counter;
  private readonly timer: NodeJS.Timeout;
  private readonly touched = new Set<TableModel>();
  /** Tables whose writes failed with a configuration error, and that error. */
  private readonly misconfigured = new Map<string, string>();
  /** Set when creating the tables failed with a configuration error: every row is dropped. */
  private configFailure: string | undefined;
  private pending: PendingGroup[] | undefined;
  private draining: Promise<void> | undefined;
  private retentionRun: Promise<void> | undefined;
  private schemaPromise: Promise<void> | undefined;
  private schemaReady: boolean;
  private kickScheduled = false;
  private wake: (() => void) | undefined;
  private retryDelayMs: number;
  private batchesSinceRetention = 0;
  private accepted = 0;
  private settled = 0;
  private counts = { written: 0, rejected: 0, dropped: 0, fixed: 0 };
  private closed = false;
  private stopped = false;
  private closing: Promise<void> | undefined;

  /** Creates the writer and starts its (unref'ed) flush timer; nothing is awaited here. */
  constructor(private readonly options: RowWriterOptions) {
    this.dialect = options.dialect;
    this.schemas = options.schemas;
    this.queue = new RingBuffer(options.maxQueueSize ?? 10_000);
    this.batchSize = positive(options.batchSize ?? 500, 'batchSize');
    this.retryInitialMs = positive(options.retryInitialMs ?? 200, 'retryInitialMs');
    this.retryMaxMs = positive(options.retryMaxMs ?? 30_000, 'retryMaxMs');
    this.retryDelayMs = this.retryInitialMs;
    this.retention =
      options.retention === false ? undefined : { ...DEFAULT_RETENTION, ...options.retention };
    this.schemaReady = options.migrate === false;
    this.warner = new RateLimitedWarner(
      options.onWarning ?? emitProcessWarning,
      options.warningIntervalMs ?? 60_000,
    );
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
      'opmeter.def-metric',
    );
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
    this.timer = setInterval(
      () => this.kick(),
      positive(options.flushIntervalMs ?? 1_000, 'flushIntervalMs'),
    );
    this.timer.unref();
  }

  /** Queues one row for `table`; O(1), never throws, never waits. */
  enqueue(table: string, row: DefMetricRow): void {
    try {
      if (this.closed) {
        this.drop(DROP_REASON_CLOSED, table, 1);
        return;
      }
      if (this.configFailure !== undefined || this.misconfigured.has(table)) {
        this.drop(DROP_REASON_CONFIG_ERROR, table, 1);
        return;
      }
      if (!this.queue.push({ table, row, at: Date.now() })) {
        this.drop(DROP_REASON_QUEUE_FULL, table, 1);
        return;
      }
      this.accepted += 1;
      if (this.queue.length >= this.batchSize && !this.kickScheduled && !this.draining) {
        this.kickScheduled = true;
        setImmediate(() => {
          this.kickScheduled = false;
          this.kick();
        });
      }
    } catch {
      // Recording an operation must never fail because of its def_metric row.
    }
  }

  /** Creates the tables (once); rejects with the database's error if that fails now. */
  ready(): Promise<void> {
    if (this.schemaReady) return Promise.resolve();
    this.schemaPromise ??= migrate(this.dialect, this.schemas.tables(), {
      ...(this.options.collation === undefined ? {} : { collation: this.options.collation }),
    }).then(
      () => {
        this.schemaReady = true;
        this.schemaPromise = undefined;
      },
      (error: unknown) => {
        this.schemaPromise = undefined;
        throw error;
      },
    );
    return this.schemaPromise;
  }

  /** Resolves once every row enqueued before the call is written, rejected or dropped (waits through outages). */
  async flush(): Promise<void> {
    const target = this.accepted;
    while (this.settled < target && !this.stopped) {
      this.kick();
      if (!this.draining) return;
      await this.draining;
    }
  }

  /**
   * Stops accepting rows and writes the waiting ones until `deadlineMs`; rows still waiting then
   * are dropped (reason `close_deadline`). Finally closes the database connection.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.deadlineMs ?? 10_000);
    return this.closing;
  }

  /** Row counts since the writer started. */
  stats(): RowWriterStats {
    const pending = this.pending?.reduce((sum, group) => sum + group.values.length, 0) ?? 0;
    return { waiting: this.queue.length + pending, ...this.counts };
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const drained = await within(this.flush(), deadlineMs);
    if (!drained) {
      this.stopped = true;
      this.wake?.();
      await within(this.draining ?? Promise.resolve(), IN_FLIGHT_GRACE_MS);
      for (const group of this.pending ?? []) {
        this.drop(DROP_REASON_CLOSE_DEADLINE, group.table.name, group.values.length);
      }
      this.pending = undefined;
      for (const item of this.queue.take(this.queue.length))
        this.drop(DROP_REASON_CLOSE_DEADLINE, item.table, 1);
    }
    this.stopped = true;
    await within(this.retentionRun ?? Promise.resolve(), IN_FLIGHT_GRACE_MS);
    await within(this.dialect.close(), IN_FLIGHT_GRACE_MS);
  }

  private kick(): void {
    if (this.draining || this.stopped || (!this.pending && this.queue.length === 0)) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (this.pending || this.queue.length > 0)) {
      try {
        if (!this.schemaReady) await this.ready();
        this.pending ??= this.prepare(this.queue.take(this.batchSize));
        await this.writePending();
        this.pending = undefined;
        this.retryDelayMs = this.retryInitialMs;
        this.afterBatch();
      } catch (error) {
        if (classifyWriteError(this.dialect, error) === 'config') {
          this.failConfiguration(error);
          return;
        }
        if (this.options.migrate !== false) this.schemaReady = false;
        this.warner.warn(
          'retry',
          `database ${this.dialect.target} unavailable (${describeError(error)}); ` +
            `${this.stats().waiting} rows waiting, retrying in ${this.retryDelayMs} ms`,
        );
        await this.sleep(this.retryDelayMs);
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.retryMaxMs);
      }
    }
  }

  private prepare(items: readonly QueuedRow[]): PendingGroup[] {
    const groups = new Map<string, PendingGroup>();
    for (const item of items) {
      if (this.misconfigured.has(item.table)) {
        this.drop(DROP_REASON_CONFIG_ERROR, item.table, 1, true);
        continue;
      }
      const table = this.schemas.get(item.table);
      if (!table) {
        this.reject(
          item.table,
          REJECT_REASON_UNKNOWN_TABLE,
          'the table is not declared in any YAML schema',
        );
        continue;
      }
      let normalise = this.normalisers.get(table.name);
      if (!normalise) {
        normalise = compileRowNormaliser(table, {
          ...(this.options.errorMessageMaxLength === undefined
            ? {}
            : { errorMessageMaxLength: this.options.errorMessageMaxLength }),
        });
        this.normalisers.set(table.name, normalise);
      }
      const result = normalise(item.row, item.at);
      if (!result.ok) {
        this.reject(table.name, result.reason, `column ${result.column}`);
        continue;
      }
      for (const reason of new Set(result.fixes)) {
        this.fixedCounter.add(1, attributes(reason, table.name));
      }
      if (result.fixes.length > 0) this.counts.fixed += 1;
      let group = groups.get(table.name);
      if (!group) {
        group = { table, values: [] };
        groups.set(table.name, group);
      }
      group.values.push(result.values);
    }
    return [...groups.values()];
  }

  private async writePending(): Promise<void> {
    for (const group of this.pending ?? []) {
      while (group.values.length > 0) {
        try {
          await this.writeGroup(group);
          if (this.stopped && !this.pending) return;
        } catch (error) {
          if (classifyWriteError(this.dialect, error) !== 'config') throw error;
          if (this.options.migrate === false || group.remigrated) {
            this.failTable(group, error);
          } else {
            // The table may have been dropped since start-up: create it again, once.
            group.remigrated = true;
            this.schemaReady = false;
            await this.ready();
          }
        }
      }
    }
  }

  private async writeGroup(group: PendingGroup): Promise<void> {
    try {
      await this.dialect.insertRows(group.table, group.values);
      if (this.stopped && !this.pending) return;
      this.written(group, group.values.length);
    } catch (error) {
      const kind = this.dialect.classifyError(error);
      if (kind === 'retry' || kind === 'config') throw error;
      await this.writeOneByOne(group);
    }
  }

  /** Stops writing to one table after a configuration error: warns once, drops its rows. */
  private failTable(group: PendingGroup, error: unknown): void {
    const name = group.table.name;
    const reason = describeConfigError(error);
    this.misconfigured.set(name, reason);
    this.warnConfiguration(`cannot write to ${name}: ${reason}`);
    this.drop(DROP_REASON_CONFIG_ERROR, name, group.values.length, true);
    group.values = [];
  }

  /** Stops the writer after a configuration error while creating tables: warns once, drops every row. */
  private failConfiguration(error: unknown): void {
    this.configFailure = describeConfigError(error);
    this.warnConfiguration(`cannot create the tables: ${this.configFailure}`);
    for (const group of this.pending ?? []) {
      this.drop(DROP_REASON_CONFIG_ERROR, group.table.name, group.values.length, true);
    }
    this.pending = undefined;
    for (const item of this.queue.take(this.queue.length)) {
      this.drop(DROP_REASON_CONFIG_ERROR, item.table, 1, true);
    }
  }

  private warnConfiguration(message: string): void {
    this.warner.warn(
      `config:${message}`,
      `${message} (database ${this.dialect.target}); not retried: its rows are dropped ` +
        `(${METRIC_ROWS_DROPPED} reason=${DROP_REASON_CONFIG_ERROR}) until the writer is created again with a fixed configuration`,
    );
  }

  /** After a batch was refused, writes its rows one by one so a bad row cannot sink the others. */
  private async writeOneByOne(group: PendingGroup): Promise<void> {
    while (group.values.length > 0) {
      const values = group.values[0] as SqlValue[];
      try {
        await this.dialect.insertRows(group.table, [values]);
        this.written(group, 1);
      } catch (error) {
        const kind = this.dialect.classifyError(error);
        if (kind === 'retry' || kind === 'config') throw error;
        if (kind === 'duplicate') this.written(group, 1);
        else {
          group.values.shift();
          this.reject(group.table.name, REJECT_REASON_DATABASE, describeError(error));
        }
      }
    }
  }

  private written(group: PendingGroup, count: number): void {
    group.values.splice(0, count);
    this.counts.written += count;
    this.settled += count;
    this.touched.add(group.table);
    this.writtenCounter.add(count, { [ATTR_DB_COLLECTION_NAME]: group.table.name });
  }

  private reject(table: string, reason: RejectReason, detail: string): void {
    this.counts.rejected += 1;
    this.settled += 1;
    this.rejectedCounter.add(1, attributes(reason, table));
    this.warner.warn(
      `reject:${table}:${reason}`,
      `row for ${table} rejected (${reason}: ${detail})`,
    );
  }

  /** Counts `count` dropped rows; `waited` when they had been accepted into the queue. */
  private drop(reason: DropReason, table: string, count: number, waited = false): void {
    if (count === 0) return;
    this.counts.dropped += count;
    if (waited || reason === DROP_REASON_CLOSE_DEADLINE) this.settled += count;
    this.droppedCounter.add(count, attributes(reason, table));
    // A configuration error was reported once already, naming its fix.
    if (reason === DROP_REASON_CONFIG_ERROR) return;
    this.warner.warn(
      `drop:${reason}`,
      reason === DROP_REASON_QUEUE_FULL
        ? `queue full (${this.queue.capacity} rows waiting): new rows are dropped until the database catches up`
        : `rows dropped (${reason}) for ${table}`,
    );
  }

  private afterBatch(): void {
    if (!this.retention || this.retentionRun) return;
    this.batchesSinceRetention += 1;
    if (this.batchesSinceRetention < this.retention.everyBatches) return;
    this.batchesSinceRetention = 0;
    const tables = [...this.touched];
    this.touched.clear();
    const retention = this.retention;
    this.retentionRun = (async () => {
      for (const table of tables) {
        if (this.stopped) return;
        try {
          await deleteExpiredRows(this.dialect, table, retention);
        } catch (error) {
          this.warner.warn(
            'retention',
            `retention on ${table.name} failed: ${describeError(error)}`,
          );
        }
      }
    })().finally(() => {
      this.retentionRun = undefined;
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

function attributes(reason: string, table: string): Attributes {
  return { [ATTR_REASON]: reason, [ATTR_DB_COLLECTION_NAME]: table };
}

function positive(value: number, name: string): number {
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${value}`);
  return value;
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
