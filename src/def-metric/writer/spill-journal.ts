import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SqlValue } from '../dialect/dialect.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { PendingGroup } from './batch-builder.js';

/** Options of the durable spill buffer (`spill` of the writer). */
export interface SpillOptions {
  /** The journal file, an SQLite database created if missing (e.g. `./opmeter-spill.db`). */
  readonly path: string;
  /** The journal never holds more than this many bytes of rows; further rows are dropped and counted (default 256 MiB). */
  readonly maxBytes?: number;
  /** Rows waiting in memory above which they go to the journal even while the database answers (default half of `maxQueueSize`). */
  readonly thresholdRows?: number;
  /**
   * `false` (default): SQLite `synchronous=NORMAL` in WAL mode; a crashed or killed process loses
   * nothing that reached the journal, a power cut may lose its last transactions. `true`:
   * `synchronous=FULL`, one fsync per spilled batch, so a power cut loses nothing either.
   */
  readonly fsync?: boolean;
}

/** A batch read back from the journal: its rows by table, and what to remove once it is written. */
export interface JournalBatch {
  readonly groups: PendingGroup[];
  /** The highest journal id in the batch. */
  readonly lastId: number;
  /** Rows of tables no longer declared, by table. */
  readonly unknown: ReadonlyMap<string, number>;
}

/** The outcome of {@link SpillJournal.append}: rows kept, and rows refused because the journal is full, by table. */
export interface AppendResult {
  readonly kept: ReadonlyMap<string, number>;
  readonly refused: ReadonlyMap<string, number>;
}

/** Default bound of the journal. */
export const DEFAULT_SPILL_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The durable spill buffer: an append-only journal of normalised rows in an embedded SQLite file.
 * Rows are appended in order (one transaction per call), read back oldest first, and removed only
 * once the database has taken them, so a process that crashes leaves them for the next start.
 * Each row is stored as JSON by column name, so its values (GUID and time included) never change.
 */
export class SpillJournal {
  private readonly insert: StatementSync;
  private readonly readOldest: StatementSync;
  private readonly removeUpTo: StatementSync;
  private rowCount: number;
  private byteCount: number;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly maxBytes: number,
  ) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS opmeter_spill (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row TEXT NOT NULL)',
    );
    this.insert = db.prepare('INSERT INTO opmeter_spill (tbl, row) VALUES (?, ?)');
    this.readOldest = db.prepare('SELECT id, tbl, row FROM opmeter_spill ORDER BY id LIMIT ?');
    this.removeUpTo = db.prepare('DELETE FROM opmeter_spill WHERE id <= ?');
    const totals = db
      .prepare(
        'SELECT COUNT(*) AS n, COALESCE(SUM(length(CAST(row AS BLOB))), 0) AS b FROM opmeter_spill',
      )
      .get() as { n: number; b: number };
    this.rowCount = Number(totals.n);
    this.byteCount = Number(totals.b);
  }

  /** Opens (or creates) the journal at `options.path`; throws an error naming the file if it cannot. */
  static async open(options: SpillOptions): Promise<SpillJournal> {
    const maxBytes = options.maxBytes ?? DEFAULT_SPILL_MAX_BYTES;
    if (!(maxBytes > 0))
      throw new Error(`spill.maxBytes must be a positive number, got ${maxBytes}`);
    const { DatabaseSync } = await import('node:sqlite');
    try {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      const db = new DatabaseSync(options.path);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`);
      return new SpillJournal(db, maxBytes);
    } catch (error) {
      throw new Error(
        `cannot open the def_metric spill journal ${options.path} (${(error as Error).message}); ` +
          'give spill.path a writable file',
      );
    }
  }

  /** Rows in the journal. */
  get rows(): number {
    return this.rowCount;
  }

  /** Bytes of row data in the journal. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Appends the rows of `groups` in order, in one transaction, until the journal is full. */
  append(groups: readonly PendingGroup[]): AppendResult {
    const kept = new Map<string, number>();
    const refused = new Map<string, number>();
    this.db.exec('BEGIN');
    try {
      for (const group of groups) {
        const names = group.table.columns.map((column) => column.name);
        for (const values of group.values) {
          const text = JSON.stringify(Object.fromEntries(names.map((n, i) => [n, values[i]])));
          const size = Buffer.byteLength(text);
          const into = this.byteCount + size > this.maxBytes ? refused : kept;
          into.set(group.table.name, (into.get(group.table.name) ?? 0) + 1);
          if (into === refused) continue;
          this.insert.run(group.table.name, text);
          this.byteCount += size;
          this.rowCount += 1;
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return { kept, refused };
  }

  /** Reads up to `max` of the oldest rows, grouped by table in `schemas` (nothing is removed). */
  readBatch(max: number, schemas: SchemaRegistry): JournalBatch {
    const groups = new Map<string, PendingGroup>();
    const unknown = new Map<string, number>();
    let lastId = 0;
    for (const entry of this.readOldest.all(max) as Array<{
      id: number;
      tbl: string;
      row: string;
    }>) {
      lastId = Number(entry.id);
      const table = schemas.get(entry.tbl);
      if (!table) {
        unknown.set(entry.tbl, (unknown.get(entry.tbl) ?? 0) + 1);
        continue;
      }
      const stored = JSON.parse(entry.row) as Record<string, SqlValue>;
      let group = groups.get(table.name);
      if (!group) {
        group = { table, values: [] };
        groups.set(table.name, group);
      }
      group.values.push(table.columns.map((column) => stored[column.name] ?? null));
    }
    return { groups: [...groups.values()], lastId, unknown };
  }

  /** Removes every row up to `lastId`, once the database has taken them. */
  remove(lastId: number): void {
    const before = this.db
      .prepare(
        'SELECT COUNT(*) AS n, COALESCE(SUM(length(CAST(row AS BLOB))), 0) AS b FROM opmeter_spill WHERE id <= ?',
      )
      .get(lastId) as { n: number; b: number };
    this.removeUpTo.run(lastId);
    this.rowCount -= Number(before.n);
    this.byteCount -= Number(before.b);
  }

  /** Closes the file. */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
