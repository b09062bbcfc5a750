import type { MeterProvider } from '@opentelemetry/api';
import { globalMeterProvider } from '../../core/global-api-check.js';
import type { DefMetricRow, RowSink } from '../../core/row-sink.js';
import type { DefMetricDialect } from '../dialect/dialect.js';
import { migrate } from '../dialect/migrate.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { textLengthsOf } from '../schema/table-model.js';
import {
  DROP_REASON_CLOSE_DEADLINE,
  DROP_REASON_CLOSED,
  DROP_REASON_CONFIG_ERROR,
  DROP_REASON_QUEUE_FULL,
  type DropReason,
  INVALID_TABLE_NAME,
  REJECT_REASON_UNKNOWN_TABLE,
} from '../semconv.js';
import { within } from '../within.js';
import { BatchBuilder, type PendingGroup } from './batch-builder.js';
import { ConfigFailures } from './config-failures.js';
import { GroupWriter } from './group-writer.js';
import { HealthProbes, StalledWriteError } from './health-probes.js';
import { DEFAULT_RETENTION, type RetentionOptions } from './retention.js';
import { RetentionSchedule } from './retention-schedule.js';
import { RetryBackoff } from './retry-backoff.js';
import { RowAccounting } from './row-accounting.js';
import { RowQueue } from './row-queue.js';
import { SpillBuffer } from './spill-buffer.js';
import type { JournalBatch, SpillOptions } from './spill-journal.js';
import { TableSetup } from './table-setup.js';
import { emitProcessWarning, RateLimitedWarner } from './warner.js';
import { classifyWriteError, describeError } from './write-errors.js';
import { checkWriterOptions, ROW_WRITER_OPTION_KEYS } from './writer-options.js';

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
  /** First retry delay after a failed write; doubles on each failure, jittered (default 200 ms). */
  readonly retryInitialMs?: number;
  /** Upper bound of the retry delay (default 4000 ms). */
  readonly retryMaxMs?: number;
  /**
   * While waiting to retry, a cheap health probe (`SELECT 1` on a fresh connection) starts this
   * often and ends the wait as soon as the database answers, so writing resumes within about this
   * long of its return. Probes also run while a write has not answered for this long: one the
   * database is not executing (a silent database swallowed it or its answer) is dropped and retried
   * as soon as the database answers again, instead of waiting out its own timeout (default 500 ms).
   */
  readonly probeIntervalMs?: number;
  /** Periodic deletion of old rows, or `false` to keep every row (default: 90 days, every 100 batches). */
  readonly retention?: RetentionOptions | false;
  /** Where the `opmeter.rows.*` counters go (default: the global meter provider). */
  readonly meterProvider?: MeterProvider;
  /** Receives rate-limited warnings (default: `process.emitWarning`, type OpmeterWarning). */
  readonly onWarning?: (message: string) => void;
  /** At most one warning of a kind per this interval (default 60 000 ms). */
  readonly warningIntervalMs?: number;
  /**
   * The durable spill buffer (off by default): while the database is unavailable, or when more
   * than `thresholdRows` wait, rows go to a local journal and are written from it, in order, when
   * the database takes them again; rows a crashed process left there are written at start-up.
   */
  readonly spill?: SpillOptions | false;
}

/** Options of {@link DefMetricRowWriter.close}. */
export interface CloseOptions {
  /**
   * `close()` resolves within this, in every fault (database refusing, silent, resetting or slow):
   * rows not written by then are dropped and counted (or, with the spill buffer, kept in its
   * journal for the next start), and every connection is closed (default 10 000 ms).
   */
  readonly deadlineMs?: number;
}

/** Row counts since the writer started. */
export interface RowWriterStats {
  /** Rows waiting: queued, in the batch being written, or in the spill journal. */
  readonly waiting: number;
  /** Rows in the spill journal (0 without one). */
  readonly journaled: number;
  /** Rows the database accepted. */
  readonly written: number;
  /** Rows refused on their own (bad values, unknown table, refused by the database). */
  readonly rejected: number;
  /** Rows that never reached the database. */
  readonly dropped: number;
  /** Written rows that had at least one value fixed. */
  readonly fixed: number;
}

/** Part of a close deadline kept to release the connections (at most this, at most a quarter of it). */
const CLOSE_RELEASE_MS = 250;

/**
 * The writer's lifecycle, one value; it changes only in the writer's transitions (`startLoop`,
 * `loopEnded`, `close`, `shutdown`):
 *
 * ```
 * open ⇄ draining ─┐
 *   └──────────────┴→ closing (loop comes along, may start and end again) → closed
 * ```
 *
 * - `open`: rows are accepted, no write loop runs (nothing waits, or the next tick will start one);
 * - `draining`: rows are accepted and `loop` writes them (settles when the loop stops);
 * - `closing`: `close()` was called (`done` is its promise): new rows are dropped, `loop` (when
 *   one runs) writes what waits until shortly before the deadline;
 * - `closed`: nothing more is written (everything settled, or the deadline passed); the connections
 *   are being released and `done` settles when they are.
 */
type WriterState =
  | { readonly kind: 'open' }
  | { readonly kind: 'draining'; readonly loop: Promise<void> }
  | {
      readonly kind: 'closing';
      readonly done: Promise<void>;
      readonly loop: Promise<void> | undefined;
    }
  | { readonly kind: 'closed'; readonly done: Promise<void> };

/** The batch being written, and the journal rows it was read from when it came from the spill journal. */
interface InFlightBatch {
  readonly groups: PendingGroup[];
  readonly journal: JournalBatch | undefined;
}

/**
 * The def_metric row writer: `enqueue` is O(1), never throws and never waits; a background flusher
 * writes multi-row INSERTs by size and by time, retries with capped, jittered exponential backoff
 * and a health probe while the database is unreachable, and drops new rows (counted in
 * `opmeter.rows.dropped`) when the bounded queue is full. A configuration error (unknown collation, missing table, access denied) is not
 * retried: it is reported once and the rows it affects are dropped with reason `config_error`.
 */
export class DefMetricRowWriter implements RowSink {
  private readonly dialect: DefMetricDialect;
  private readonly schemas: SchemaRegistry;
  private readonly queue: RowQueue;
  private readonly batchSize: number;
  private readonly backoff: RetryBackoff;
  private readonly warner: RateLimitedWarner;
  private readonly accounting: RowAccounting;
  private readonly failures: ConfigFailures;
  private readonly retention: RetentionSchedule | undefined;
  private readonly batches: BatchBuilder;
  private readonly groupWriter: GroupWriter;
  private readonly timer: NodeJS.Timeout;
  private readonly probeIntervalMs: number;
  private readonly spillThreshold: number;
  private readonly tables: TableSetup;
  private readonly probes: HealthProbes;
  private spill: SpillBuffer | undefined;
  private state: WriterState = { kind: 'open' };
  /** The batch being written (kept through retries until the database takes it). */
  private batch: InFlightBatch | undefined;
  private kickScheduled = false;

  /** Creates the writer and starts its (unref'ed) flush timer; nothing is awaited here. */
  constructor(private readonly options: RowWriterOptions) {
    checkWriterOptions(options, ROW_WRITER_OPTION_KEYS, 'DefMetricRowWriter options');
    this.dialect = options.dialect;
    this.schemas = options.schemas;
    this.queue = new RowQueue(options.maxQueueSize ?? 10_000);
    this.batchSize = options.batchSize ?? 500;
    this.backoff = new RetryBackoff(options.retryInitialMs ?? 200, options.retryMaxMs ?? 4_000);
    this.probeIntervalMs = options.probeIntervalMs ?? 500;
    this.probes = new HealthProbes(this.dialect, this.probeIntervalMs);
    this.tables = new TableSetup(
      options.migrate === false
        ? undefined
        : () =>
            migrate(this.dialect, this.schemas.tables(), {
              ...(options.collation === undefined ? {} : { collation: options.collation }),
            }),
    );
    this.warner = new RateLimitedWarner(
      options.onWarning ?? emitProcessWarning,
      options.warningIntervalMs ?? 60_000,
    );
    const meter = (options.meterProvider ?? globalMeterProvider()).getMeter('opmeter.def-metric');
    this.accounting = new RowAccounting(meter, this.warner, this.queue.capacity);
    this.failures = new ConfigFailures(this.warner, this.dialect.target);
    this.retention =
      options.retention === false
        ? undefined
        : new RetentionSchedule(
            this.dialect,
            { ...DEFAULT_RETENTION, ...options.retention },
            this.warner,
            () => this.stopped,
          );
    this.batches = new BatchBuilder(this.schemas, this.accounting, this.failures);
    this.groupWriter = new GroupWriter(this.dialect, this.accounting, this.retention, () =>
      this.abandoned(),
    );
    this.timer = setInterval(() => this.kick(), options.flushIntervalMs ?? 1_000);
    this.timer.unref();
    this.spillThreshold = options.spill
      ? (options.spill.thresholdRows ?? Math.max(1, Math.floor(this.queue.capacity / 2)))
      : Number.POSITIVE_INFINITY;
    if (options.spill) {
      this.spill = new SpillBuffer(options.spill, this.accounting, this.warner, () => this.kick());
    }
  }

  /** Queues one row for `table`; O(1), never throws, never waits. */
  enqueue(table: string, row: DefMetricRow): void {
    try {
      const name = typeof table === 'string' ? table : INVALID_TABLE_NAME;
      if (!this.accepting) {
        this.accounting.dropped(DROP_REASON_CLOSED, name, 1);
        return;
      }
      if (name !== table) {
        this.accounting.accept();
        this.accounting.rejected(
          name,
          REJECT_REASON_UNKNOWN_TABLE,
          'the table name is not a string; pass the name declared in the YAML schema',
        );
        return;
      }
      if (this.failures.blocks(table)) {
        this.accounting.dropped(DROP_REASON_CONFIG_ERROR, table, 1);
        return;
      }
      if (!this.queue.offer(table, row)) {
        this.accounting.dropped(DROP_REASON_QUEUE_FULL, table, 1);
        return;
      }
      this.accounting.accept();
      const length = this.queue.length;
      if (
        !this.kickScheduled &&
        ((length >= this.batchSize && this.loop === undefined) || length >= this.spillThreshold)
      ) {
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
    return this.tables.ready();
  }

  /** Resolves once every row enqueued before the call is written, rejected or dropped (waits through outages). */
  async flush(): Promise<void> {
    const target = this.accounting.accepted;
    while (this.accounting.settled < target && !this.stopped) {
      this.kick();
      const loop = this.loop;
      if (loop === undefined) return;
      await loop;
    }
  }

  /**
   * Stops accepting rows and writes the waiting ones until shortly before `deadlineMs`; rows still
   * waiting then (including a batch whose INSERT has not answered) are dropped with reason
   * `close_deadline`. Then closes every connection; resolves within the deadline in every fault.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const state = this.state;
    if (state.kind === 'closing' || state.kind === 'closed') return state.done;
    let settle!: (shutdown: Promise<void>) => void;
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    // open/draining → closing: from here on rows are dropped; a running loop goes on writing.
    this.state = {
      kind: 'closing',
      done,
      loop: state.kind === 'draining' ? state.loop : undefined,
    };
    clearInterval(this.timer);
    settle(this.shutdown(options.deadlineMs ?? 10_000, done));
    return done;
  }

  /**
   * The most characters each text column of `table` holds, by every key a row may use for it
   * (column name and YAML `alias`), as its YAML schema declares; undefined for an unknown table.
   * Instrumentations cut their values to these when they record them, so no row is refused for length.
   */
  columnLengths(table: string): ReadonlyMap<string, number> | undefined {
    const model = this.schemas.get(table);
    return model === undefined ? undefined : textLengthsOf(model);
  }

  /** Row counts since the writer started. */
  stats(): RowWriterStats {
    // Rows read from the journal are still counted there until the database has taken them.
    const batch = this.batch;
    const pending =
      batch === undefined || batch.journal !== undefined
        ? 0
        : batch.groups.reduce((sum, group) => sum + group.values.length, 0);
    const journaled = this.spill?.rows ?? 0;
    return {
      waiting: this.queue.length + pending + journaled,
      journaled,
      ...this.accounting.snapshot(),
    };
  }

  /** The `closing` phase: writes what waits until shortly before the deadline, then `closed`: releases everything. */
  private async shutdown(deadlineMs: number, done: Promise<void>): Promise<void> {
    const end = Date.now() + Math.max(0, deadlineMs);
    const release = Math.min(CLOSE_RELEASE_MS, deadlineMs / 4);
    const drained = await within(this.flush(), Math.max(0, deadlineMs - release));
    // closing → closed: nothing more is written; a loop still running stops at its next check.
    this.state = { kind: 'closed', done };
    this.backoff.interrupt();
    if (!drained && this.spill?.isOpen) this.keepWaitingInJournal();
    else if (!drained) this.dropWaiting(DROP_REASON_CLOSE_DEADLINE);
    this.spill?.close();
    // A retention run or an INSERT still in flight ends when its connection is destroyed.
    await within(this.dialect.close(), Math.max(0, end - Date.now()));
  }

  /** Rows are accepted (`open` or `draining`). */
  private get accepting(): boolean {
    return this.state.kind === 'open' || this.state.kind === 'draining';
  }

  /** Nothing more is written (`closed`): the close deadline passed or everything settled. */
  private get stopped(): boolean {
    return this.state.kind === 'closed';
  }

  /** The write loop running now, if any. */
  private get loop(): Promise<void> | undefined {
    const state = this.state;
    return state.kind === 'draining' || state.kind === 'closing' ? state.loop : undefined;
  }

  /** The rows still waiting were dropped on close: an insert finishing now must not count them. */
  private abandoned(): boolean {
    return this.stopped && this.batch === undefined;
  }

  private kick(): void {
    if (this.backoff.failing || this.queue.length >= this.spillThreshold) this.spillQueue();
    if (this.loop !== undefined || this.stopped || !this.hasWork()) return;
    this.startLoop();
  }

  /** open → draining (or closing without a loop → closing with one): starts the write loop. */
  private startLoop(): void {
    const loop: Promise<void> = this.drain().finally(() => this.loopEnded(loop));
    const state = this.state;
    if (state.kind === 'open') this.state = { kind: 'draining', loop };
    else if (state.kind === 'closing') this.state = { ...state, loop };
  }

  /** draining → open (or closing with this loop → closing without one); nothing once closed. */
  private loopEnded(loop: Promise<void>): void {
    const state = this.state;
    if (state.kind === 'draining' && state.loop === loop) this.state = { kind: 'open' };
    else if (state.kind === 'closing' && state.loop === loop) {
      this.state = { ...state, loop: undefined };
    }
  }

  /** Rows wait in the batch being written, the queue or the journal. */
  private hasWork(): boolean {
    return this.batch !== undefined || this.queue.length > 0 || (this.spill?.rows ?? 0) > 0;
  }

  /** Moves every queued row to the journal (while the database is unavailable or the queue is long). */
  private spillQueue(): void {
    if (!this.spill?.isOpen || this.stopped || this.queue.length === 0) return;
    this.spill.append(this.batches.build(this.queue.takeAll()));
  }

  /** The next batch: the journal's oldest rows first (they are older than any queued row), else the queue's. */
  private takeBatch(): InFlightBatch {
    const journal = this.spill?.read(this.batchSize, this.schemas);
    return {
      groups: journal?.groups ?? this.batches.build(this.queue.take(this.batchSize)),
      journal,
    };
  }

  private async drain(): Promise<void> {
    if (this.spill) await this.spill.opened;
    while (!this.stopped && this.hasWork()) {
      try {
        await this.probes.watch(this.attempt());
        if (this.stopped) return;
        if (this.batch?.journal) this.spill?.remove(this.batch.journal);
        this.batch = undefined;
        this.backoff.reset();
        this.retention?.batchWritten();
      } catch (error) {
        // Abandoned because a probe got an answer: the database is back, retry at once.
        const stalled = error instanceof StalledWriteError;
        const cause = stalled ? error.original : error;
        if (classifyWriteError(this.dialect, cause) === 'config') {
          this.failures.failEveryTable(cause);
          this.giveUpOnConfigError();
          return;
        }
        this.tables.invalidate();
        // Keep the failed batch in the journal when that keeps the order (nothing older is there).
        const batch = this.batch;
        if (batch && !batch.journal && this.spill?.isOpen && this.spill.rows === 0) {
          this.spill.append(batch.groups);
          this.batch = undefined;
        }
        this.spillQueue();
        this.warner.warn(
          'retry',
          `database ${this.dialect.target} unavailable (${describeError(error)}); ` +
            `${this.stats().waiting} rows waiting, retrying within ${this.backoff.delayMs} ms ` +
            `or as soon as a probe every ${this.probeIntervalMs} ms gets an answer`,
        );
        if (!this.stopped && !stalled) {
          await this.backoff.wait(this.probes.probe, this.probeIntervalMs);
        }
      }
    }
  }

  /** One attempt: the tables (when they may be missing), then the batch being written. */
  private async attempt(): Promise<void> {
    if (!this.tables.isReady) await this.tables.ready();
    this.batch ??= this.takeBatch();
    await this.writeBatch(this.batch);
  }

  private async writeBatch(batch: InFlightBatch): Promise<void> {
    for (const group of batch.groups) {
      while (group.values.length > 0) {
        try {
          await this.groupWriter.write(group);
          if (this.abandoned()) return;
        } catch (error) {
          if (classifyWriteError(this.dialect, error) !== 'config') throw error;
          if (this.options.migrate === false || group.remigrated) {
            this.failures.failTable(group.table.name, error);
            this.accounting.dropped(
              DROP_REASON_CONFIG_ERROR,
              group.table.name,
              group.values.length,
              true,
            );
            group.values = [];
          } else {
            // The table may have been dropped since start-up: create it again, once.
            group.remigrated = true;
            this.tables.invalidate();
            await this.tables.ready();
          }
        }
      }
    }
  }

  /**
   * Every table failed for a configuration error: rows in memory are dropped and counted; the
   * journal's rows stay in its file for a writer created again with a fixed configuration.
   */
  private giveUpOnConfigError(): void {
    if (this.batch?.journal) this.batch = undefined;
    this.dropWaiting(DROP_REASON_CONFIG_ERROR);
    if (this.spill) {
      this.spill.close();
      this.spill = undefined;
      this.accounting.settleKept();
    }
  }

  /** At the close deadline: the rows still in memory go to the journal, for the next start. */
  private keepWaitingInJournal(): void {
    const spill = this.spill as SpillBuffer;
    const batch = this.batch;
    if (batch && !batch.journal) spill.append(batch.groups, DROP_REASON_CLOSE_DEADLINE);
    // An INSERT of these rows still in flight must not count them as written now.
    for (const group of batch?.groups ?? []) group.values = [];
    this.batch = undefined;
    spill.append(this.batches.build(this.queue.takeAll()), DROP_REASON_CLOSE_DEADLINE);
    this.accounting.settleKept();
  }

  /** Drops every row waiting (in the batch being written, then in the queue) for `reason`. */
  private dropWaiting(reason: DropReason): void {
    for (const group of this.batch?.groups ?? []) {
      this.accounting.dropped(reason, group.table.name, group.values.length, true);
      // An INSERT of this group still in flight must not count these rows again.
      group.values = [];
    }
    this.batch = undefined;
    for (const item of this.queue.takeAll()) this.accounting.dropped(reason, item.table, 1, true);
  }
}
