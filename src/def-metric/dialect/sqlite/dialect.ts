import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { TableModel } from '../../schema/table-model.js';
import type { DefMetricDialect, ResultRow, SqlValue } from '../dialect.js';
import { resolveSqliteCollation } from './collation.js';
import { renderSqliteDdl } from './ddl.js';
import { classifySqliteError } from './errors.js';
import { quoteSqliteIdentifier as q } from './identifiers.js';

/** Options of {@link createSqliteDialect}. */
export interface SqliteDialectConfig {
  /** A file path (created if missing) or `:memory:`. */
  readonly path: string;
  /**
   * How long a statement waits for another connection's lock before failing with SQLITE_BUSY
   * (default {@link DEFAULT_SQLITE_BUSY_TIMEOUT_MS}). `node:sqlite` waits synchronously, holding
   * the event loop, so keep it short: the writer retries a busy database with its backoff, and
   * its probe tells when the lock is gone.
   */
  readonly busyTimeoutMs?: number;
}

/** Default `busyTimeoutMs`: the longest a locked database file holds the event loop per statement. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 25;

/** SQLite's default limit on `?` parameters in one statement. */
const MAX_PARAMETERS = 32_766;
/** Prepared statements kept per database (one per table and batch size in use). */
const MAX_CACHED_STATEMENTS = 256;
/** Creates the embedded SQLite dialect (`node:sqlite`); the database opens on first use. */
export function createSqliteDialect(config: SqliteDialectConfig): DefMetricDialect {
  let database: DatabaseSync | undefined;
  const statements = new Map<string, StatementSync>();
  const open = async (): Promise<DatabaseSync> => {
    if (!database) {
      const { DatabaseSync } = await import('node:sqlite');
      // the file is created if missing, and so is its folder
      if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
      const db = new DatabaseSync(config.path);
      try {
        db.exec(
          `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(config.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS))}`,
        );
        if (config.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
      } catch (error) {
        // Locked by another connection, say: the next statement opens the file again.
        db.close();
        throw error;
      }
      database = db;
    }
    return database;
  };
  const prepare = (db: DatabaseSync, sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    name: 'sqlite',
    target: `sqlite:${config.path}`,
    quote: q,
    resolveCollation: resolveSqliteCollation,
    async createTable(table) {
      const db = await open();
      for (const statement of renderSqliteDdl(table)) db.exec(statement);
    },
    async insertRows(table, rows) {
      if (rows.length === 0) return;
      const db = await open();
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
      const chunked = rows.length > perStatement;
      if (chunked) db.exec('BEGIN');
      try {
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement);
          prepare(db, insertSql(table, chunk.length)).run(...chunk.flat());
        }
        if (chunked) db.exec('COMMIT');
      } catch (error) {
        if (chunked && db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    async deleteOlderThan(table, timeColumn, cutoff, limit) {
      const db = await open();
      const name = q(table.name);
      const sql = `DELETE FROM ${name} WHERE rowid IN (SELECT rowid FROM ${name} WHERE ${q(timeColumn)} < ? LIMIT ?)`;
      return Number(prepare(db, sql).run(cutoff, limit).changes);
    },
    async select(sql: string, params: readonly SqlValue[]): Promise<ResultRow[]> {
      const db = await open();
      return prepare(db, sql).all(...params) as ResultRow[];
    },
    async ping() {
      const db = await open();
      if (db.isTransaction) return;
      // Takes the write lock for a moment: fails (SQLITE_BUSY) while another connection holds it.
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    },
    classifyError: classifySqliteError,
    async close() {
      statements.clear();
      database?.close();
      database = undefined;
    },
  };
}

/** A multi-row INSERT that skips rows whose primary key is already stored (a retried batch). */
function insertSql(table: TableModel, rowCount: number): string {
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')} ON CONFLICT DO NOTHING`;
}
