import type { SchemaRegistry } from '../schema/registry.js';
import {
  DROP_REASON_SPILL_FAILED,
  DROP_REASON_SPILL_FULL,
  type DropReason,
  REJECT_REASON_UNKNOWN_TABLE,
} from '../semconv.js';
import type { PendingGroup } from './batch-builder.js';
import type { RowAccounting } from './row-accounting.js';
import {
  SpillJournal as Journal,
  type JournalBatch,
  type SpillJournal,
  type SpillOptions,
} from './spill-journal.js';
import type { RateLimitedWarner } from './warner.js';
import { describeError } from './write-errors.js';

/**
 * The writer's side of the spill journal: opens it in the background (rows a crashed process left
 * there are counted as waiting and written first), appends and reads batches, and counts what it
 * keeps (`opmeter.rows.spilled`) or refuses when full (`opmeter.rows.dropped` reason `spill_full`).
 * If the journal cannot be opened, one warning says why and the writer goes on in memory only.
 */
export class SpillBuffer {
  /** Settles once the journal is open (or failed to open). */
  readonly opened: Promise<void>;
  private journal: SpillJournal | undefined;
  /** Rows the journal held when it was closed (they wait there for the next start). */
  private rowsLeft = 0;

  /** Starts opening the journal; `onOpen` runs once it is open with the rows found in it. */
  constructor(
    private readonly options: SpillOptions,
    private readonly accounting: RowAccounting,
    private readonly warner: RateLimitedWarner,
    onOpen: () => void,
  ) {
    this.opened = Journal.open(options).then(
      (journal) => {
        this.journal = journal;
        this.accounting.accept(journal.rows);
        onOpen();
      },
      (error: unknown) => {
        warner.warn('spill', `${describeError(error)}; rows wait in memory only`);
      },
    );
  }

  /** Rows in the journal (0 before it is open; after close, the rows left for the next start). */
  get rows(): number {
    return this.journal?.rows ?? this.rowsLeft;
  }

  /** Whether rows can be spilled now. */
  get isOpen(): boolean {
    return this.journal !== undefined;
  }

  /**
   * Appends the rows of `groups` to the journal in order; rows it has no room for are dropped
   * (`spill_full`). If writing the journal fails, it is closed with one warning, the writer goes on
   * in memory only, and the rows of `groups` are dropped with `failureReason`.
   */
  append(
    groups: readonly PendingGroup[],
    failureReason: DropReason = DROP_REASON_SPILL_FAILED,
  ): void {
    if (groups.length === 0) return;
    let result: ReturnType<SpillJournal['append']> | undefined;
    try {
      result = this.journal?.append(groups);
    } catch (error) {
      this.warner.warn(
        'spill',
        `cannot write the spill journal ${this.options.path} (${describeError(error)}); ` +
          'rows wait in memory only until the writer is created again',
      );
      this.close();
    }
    if (!result) {
      for (const group of groups) {
        this.accounting.dropped(failureReason, group.table.name, group.values.length, true);
      }
      return;
    }
    for (const [table, count] of result.kept) this.accounting.spilled(table, count);
    for (const [table, count] of result.refused) {
      this.accounting.dropped(DROP_REASON_SPILL_FULL, table, count, true);
    }
  }

  /** Reads the oldest `max` rows back; rows of tables no longer declared are rejected and counted. */
  read(max: number, schemas: SchemaRegistry): JournalBatch | undefined {
    if (!this.journal || this.journal.rows === 0) return undefined;
    const batch = this.journal.readBatch(max, schemas);
    for (const [table, count] of batch.unknown) {
      for (let i = 0; i < count; i += 1) {
        this.accounting.rejected(
          table,
          REJECT_REASON_UNKNOWN_TABLE,
          'a row of the spill journal names a table no YAML schema declares any more',
        );
      }
    }
    return batch;
  }

  /** Removes the rows of a batch the database has taken. */
  remove(batch: JournalBatch): void {
    this.journal?.remove(batch.lastId);
  }

  /** Closes the journal file; its rows stay for the next start. */
  close(): void {
    this.rowsLeft = this.rows;
    this.journal?.close();
    this.journal = undefined;
  }
}
