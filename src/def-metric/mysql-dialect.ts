import { resolveMysqlCollation } from './collation.js';
import type { ConnectionUrl, MysqlConnectionUrl } from './connection-url.js';
import { parseConnectionUrl } from './connection-url.js';
import { renderMysqlDdl } from './ddl-mysql.js';
import type { DefMetricDialect, ResultRow, SqlValue, WriteErrorKind } from './dialect.js';
import { quoteMysqlIdentifier } from './identifiers.js';
import type { TableModel } from './table-model.js';

/** The subset of a `mysql2/promise` pool that opmeter uses. */
export interface MysqlPoolLike {
  /** Runs one statement with `?` parameters; resolves to `[rows or result header, fields]`. */
  query(
    options: { sql: string; timeout?: number },
    values: readonly unknown[],
  ): Promise<[unknown, unknown]>;
  /** Closes every connection of the pool. */
  end(): Promise<void>;
}

/** Options of {@link createMysqlDialect}: a URL, or a pool you built (or a lazy factory of one). */
export type MysqlDialectConfig =
  | {
      readonly url: MysqlConnectionUrl | string;
      /** Per-statement timeout, after which a write counts as failed and is retried (default 30 s). */
      readonly queryTimeoutMs?: number;
      /** TCP connect timeout (default 10 s). */
      readonly connectTimeoutMs?: number;
    }
  | {
      readonly pool: MysqlPoolLike | (() => MysqlPoolLike | Promise<MysqlPoolLike>);
      /** Printable description of the target (never include a password). */
      readonly target?: string;
      readonly queryTimeoutMs?: number;
    };

const DUPLICATE_CODES = new Set(['ER_DUP_ENTRY']);
/** Errors that retrying cannot fix: refused access, missing database, table or column, bad collation. */
const CONFIG_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_BAD_DB_ERROR',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_PARSE_ERROR',
  'ER_UNKNOWN_COLLATION',
  'ER_UNKNOWN_CHARACTER_SET',
  'ER_COLLATION_CHARSET_MISMATCH',
]);

/** Creates the MySQL/MariaDB dialect; the `mysql2` pool is created on first use. */
export function createMysqlDialect(config: MysqlDialectConfig): DefMetricDialect {
  const queryTimeoutMs = config.queryTimeoutMs ?? 30_000;
  let url: MysqlConnectionUrl | undefined;
  if ('url' in config) {
    const parsed: ConnectionUrl =
      typeof config.url === 'string' ? parseConnectionUrl(config.url) : config.url;
    if (parsed.kind !== 'mysql')
      throw new Error('createMysqlDialect needs a mysql:// or mariadb:// URL');
    url = parsed;
  }
  let poolPromise: Promise<MysqlPoolLike> | undefined;
  const pool = (): Promise<MysqlPoolLike> => {
    poolPromise ??=
      'pool' in config
        ? Promise.resolve(typeof config.pool === 'function' ? config.pool() : config.pool)
        : openPool(
            url as MysqlConnectionUrl,
            'connectTimeoutMs' in config ? config.connectTimeoutMs : undefined,
          );
    return poolPromise;
  };
  const run = async (sql: string, params: readonly unknown[]): Promise<unknown> => {
    const [result] = await (await pool()).query({ sql, timeout: queryTimeoutMs }, params);
    return result;
  };
  const select = async (sql: string, params: readonly SqlValue[]): Promise<ResultRow[]> =>
    (await run(sql, params)) as ResultRow[];
  return {
    name: 'mysql',
    target: url?.toString() ?? ('target' in config && config.target ? config.target : 'mysql pool'),
    quote: quoteMysqlIdentifier,
    resolveCollation: (configured) => resolveMysqlCollation(select, configured),
    async createTable(table, collation) {
      await run(renderMysqlDdl(table, collation), []);
    },
    async insertRows(table, rows) {
      if (rows.length === 0) return;
      await run(insertSql(table, rows.length), rows.flat());
    },
    async deleteOlderThan(table, timeColumn, cutoff, limit) {
      const q = quoteMysqlIdentifier;
      const result = (await run(`DELETE FROM ${q(table.name)} WHERE ${q(timeColumn)} < ? LIMIT ?`, [
        cutoff,
        limit,
      ])) as { affectedRows?: number };
      return result.affectedRows ?? 0;
    },
    select,
    classifyError: classifyMysqlError,
    async close() {
      if (poolPromise) await (await poolPromise).end();
    },
  };
}

/**
 * Classifies a mysql2 error: data (SQLSTATE 22xxx) and constraint (23xxx) errors reject the row,
 * configuration errors (access denied, unknown database, table, column or collation) are `config`,
 * anything else (connection refused or lost, timeouts, deadlocks, too many connections) is retried.
 */
export function classifyMysqlError(error: unknown): WriteErrorKind {
  const { code, sqlState } = (error ?? {}) as { code?: unknown; sqlState?: unknown };
  if (typeof code === 'string' && DUPLICATE_CODES.has(code)) return 'duplicate';
  if (typeof code === 'string' && CONFIG_CODES.has(code)) return 'config';
  if (typeof sqlState === 'string' && (sqlState.startsWith('22') || sqlState.startsWith('23')))
    return 'reject';
  return 'retry';
}

function insertSql(table: TableModel, rowCount: number): string {
  const q = quoteMysqlIdentifier;
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')}`;
}

async function openPool(
  url: MysqlConnectionUrl,
  connectTimeoutMs: number | undefined,
): Promise<MysqlPoolLike> {
  const driver = (await import('mysql2/promise')) as unknown as {
    createPool(config: Record<string, unknown>): MysqlPoolLike;
  };
  return driver.createPool({
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password(),
    database: url.database,
    connectionLimit: url.connectionLimit,
    connectTimeout: connectTimeoutMs ?? 10_000,
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
  });
}
