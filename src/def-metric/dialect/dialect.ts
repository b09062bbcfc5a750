import type { TableModel } from '../schema/table-model.js';

/** A value bound to a `?` parameter. */
export type SqlValue = string | number | null;

/** One row returned by a SELECT, by column alias. */
export type ResultRow = Record<string, unknown>;

/**
 * How a failed write should be handled: `retry` (the database is unreachable or busy: keep the
 * rows and try again later), `duplicate` (the primary key already holds this row: it was written
 * by an earlier attempt whose answer was lost), `reject` (the database refuses these values) or
 * `config` (a configuration mistake such as a missing table, an unknown database or collation, or
 * refused access: retrying cannot help).
 */
export type WriteErrorKind = 'retry' | 'duplicate' | 'reject' | 'config';

/** The one interface the writer, migrations, retention and reports use for either database. */
export interface DefMetricDialect {
  /** `mysql` for MySQL/MariaDB, `sqlite` for the embedded database. */
  readonly name: 'mysql' | 'sqlite';
  /** Where the dialect connects, with credentials redacted (safe to print). */
  readonly target: string;
  /** Quotes an identifier taken from the schema registry. */
  quote(identifier: string): string;
  /** Returns the collation that replaces `{collation}`: the configured one, checked, or the server default. */
  resolveCollation(configured: string | undefined): Promise<string>;
  /** Creates the table and its indexes if they do not exist yet. */
  createTable(table: TableModel, collation: string): Promise<void>;
  /**
   * Inserts rows (values in the table's column order) with parameterised multi-row INSERTs; a row
   * whose primary key is already stored is skipped, so retrying a batch never stores a row twice.
   */
  insertRows(table: TableModel, rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /** Deletes at most `limit` rows whose `timeColumn` is before `cutoff`; returns how many went. */
  deleteOlderThan(
    table: TableModel,
    timeColumn: string,
    cutoff: string,
    limit: number,
  ): Promise<number>;
  /** Runs a parameterised SELECT and returns its rows. */
  select(sql: string, params: readonly SqlValue[]): Promise<ResultRow[]>;
  /** A cheap round trip (`SELECT 1`) that tells whether the database answers again; rejects if not. */
  ping?(): Promise<void>;
  /**
   * Asks the database, on a new connection, about the statements in flight for at least
   * `minAgeMs`: one still waiting for its connection while this one connects at once, or sent but
   * not executing there (its bytes, or its answer, were lost — a database that accepted them and
   * never answered), fails now with a retryable error whose `stalled` is true, instead of at its
   * timeout. Resolves whether
   * any was dropped; rejects when the database does not answer. A statement the database is
   * executing, however slow, is left alone.
   */
  dropStalled?(minAgeMs: number): Promise<boolean>;
  /** Tells whether a failed write should be retried, counted as done, rejected, or given up as misconfigured. */
  classifyError(error: unknown): WriteErrorKind;
  /** Releases the connection pool or database handle. */
  close(): Promise<void>;
}
