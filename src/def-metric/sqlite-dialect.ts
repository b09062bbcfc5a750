import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { renderSqliteDdl } from './ddl-sqlite.js';
import type { DefMetricDialect, ResultRow, SqlValue, WriteErrorKind } from './dialect.js';
import { quoteSqliteIdentifier as q } from './identifiers.js';
import type { TableModel } from './table-model.js';

/** Options of {@link createSqliteDialect}. */
export interface SqliteDialectConfig {
  /** A file path (created if missing) or `:memory:`. */
  readonly path: string;
  /** How long a write waits for another process's lock before failing (default 5 s). */
  readonly busyTimeoutMs?: number;
}

/** SQLite's default limit on `?` parameters in one statement. */
const MAX_PARAMETERS = 32_766;
/** Prepared statements kept per database (one per table and batch size in use). */
const MAX_CACHED_STATEMENTS = 256;
const SQLITE_ERROR = 1;
const SQLITE_PERM = 3;
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;
const SQLITE_AUTH = 23;
const SQLITE_NOTADB = 26;
/** Primary result codes that retrying cannot fix: missing table or column, permissions, bad file. */
const CONFIG_CODES = new Set([
  SQLITE_ERROR,
  SQLITE_PERM,
  SQLITE_READONLY,
  SQLITE_CANTOPEN,
  SQLITE_AUTH,
  SQLITE_NOTADB,
]);
const SQLITE_CONSTRAINT = 19;
const SQLITE_TOOBIG = 18;
const SQLITE_MISMATCH = 20;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** Creates the embedded SQLite dialect (`node:sqlite`); the database opens on first use. */
export function createSqliteDialect(config: SqliteDialectConfig): DefMetricDialect {
  let database: DatabaseSync | undefined;
  const statements = new Map<string, StatementSync>();
  const open = async (): Promise<DatabaseSync> => {
    if (!database) {
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(config.path);
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(config.busyTimeoutMs ?? 5_000)}`);
      if (config.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
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
    resolveCollation: async () => 'binary',
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
      prepare(db, 'SELECT 1').get();
    },
    classifyError: classifySqliteError,
    async close() {
      statements.clear();
      database?.close();
      database = undefined;
    },
  };
}

/**
 * Classifies a `node:sqlite` error: constraint, size and type errors reject the row; a missing
 * table or column, a read-only or unopenable file are `config`; busy, locked and I/O errors are retried.
 */
export function classifySqliteError(error: unknown): WriteErrorKind {
  const { errcode } = (error ?? {}) as { errcode?: unknown };
  if (typeof errcode !== 'number') return 'retry';
  if (errcode === SQLITE_CONSTRAINT_PRIMARYKEY || errcode === SQLITE_CONSTRAINT_UNIQUE)
    return 'duplicate';
  const primary = errcode & 0xff;
  if (primary === SQLITE_CONSTRAINT || primary === SQLITE_TOOBIG || primary === SQLITE_MISMATCH)
    return 'reject';
  if (CONFIG_CODES.has(primary)) return 'config';
  return 'retry';
}

/** A multi-row INSERT that skips rows whose primary key is already stored (a retried batch). */
function insertSql(table: TableModel, rowCount: number): string {
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')} ON CONFLICT DO NOTHING`;
}
