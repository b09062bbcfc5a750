import { connect, type Socket } from 'node:net';
import type { TableModel } from '../../schema/table-model.js';
import { within } from '../../within.js';
import type { ConnectionUrl, MysqlConnectionUrl } from '../connection-url.js';
import { parseConnectionUrl } from '../connection-url.js';
import type { DefMetricDialect, ResultRow, SqlValue } from '../dialect.js';
import { resolveMysqlCollation } from './collation.js';
import { renderMysqlDdl } from './ddl.js';
import { classifyMysqlError } from './errors.js';
import { quoteMysqlIdentifier } from './identifiers.js';

/** The subset of a `mysql2/promise` pool connection that opmeter uses. */
export interface MysqlConnectionLike {
  /** Runs one statement with `?` parameters; resolves to `[rows or result header, fields]`. */
  query(options: { sql: string }, values: readonly unknown[]): Promise<[unknown, unknown]>;
  /** Gives the connection back to the pool. */
  release(): void;
  /** Closes the connection at once and removes it from the pool. */
  destroy(): void;
}

/** The subset of a `mysql2/promise` pool that opmeter uses. */
export interface MysqlPoolLike {
  /** Takes a connection from the pool (opening one if needed). */
  getConnection(): Promise<MysqlConnectionLike>;
  /** Closes every connection of the pool. */
  end(): Promise<void>;
}

/** Timeouts of the MySQL dialect; defaults are short enough to notice a silent database within seconds. */
export interface MysqlTimeouts {
  /** A SELECT or DDL statement that has not answered after this fails (default 30 000 ms). */
  readonly queryTimeoutMs?: number;
  /**
   * An INSERT, DELETE or health probe that has not answered after this fails and its connection
   * is destroyed; the writer retries the rows (default 3000 ms).
   */
  readonly writeTimeoutMs?: number;
  /** Opening a connection (TCP and handshake) fails after this (default 2000 ms). */
  readonly connectTimeoutMs?: number;
}

/** Options of {@link createMysqlDialect}: a URL, or a pool you built (or a lazy factory of one). */
export type MysqlDialectConfig =
  | (MysqlTimeouts & { readonly url: MysqlConnectionUrl | string })
  | (Omit<MysqlTimeouts, 'connectTimeoutMs'> & {
      readonly pool: MysqlPoolLike | (() => MysqlPoolLike | Promise<MysqlPoolLike>);
      /** Printable description of the target (never include a password). */
      readonly target?: string;
    });

/** How long `close()` lets the pool say goodbye before it destroys the sockets left. */
const POOL_END_GRACE_MS = 200;

/**
 * Creates the MySQL/MariaDB dialect; the `mysql2` pool is created on first use. Every statement
 * runs on a connection taken from the pool: one that fails with a network error or a timeout is
 * destroyed, never reused. `close()` resolves within about 200 ms and leaves no socket open.
 */
export function createMysqlDialect(config: MysqlDialectConfig): DefMetricDialect {
  const queryTimeoutMs = config.queryTimeoutMs ?? 30_000;
  const writeTimeoutMs = config.writeTimeoutMs ?? 3_000;
  let url: MysqlConnectionUrl | undefined;
  if ('url' in config) {
    const parsed: ConnectionUrl =
      typeof config.url === 'string' ? parseConnectionUrl(config.url) : config.url;
    if (parsed.kind !== 'mysql')
      throw new Error('createMysqlDialect needs a mysql:// or mariadb:// URL');
    url = parsed;
  }
  const target =
    url?.toString() ?? ('target' in config && config.target ? config.target : 'mysql pool');
  /** A pool and the sockets it opened; replaced after a network error, so no stale connection is reused. */
  interface PoolEntry {
    readonly pool: Promise<MysqlPoolLike>;
    readonly sockets: Set<Socket>;
  }
  const entries = new Set<PoolEntry>();
  let current: PoolEntry | undefined;
  let closed = false;
  const acquire = (): PoolEntry => {
    if (current) return current;
    if (closed) throw new Error(`the def_metric dialect for ${target} is closed; create a new one`);
    const sockets = new Set<Socket>();
    const entry: PoolEntry = {
      sockets,
      pool:
        'pool' in config
          ? Promise.resolve(typeof config.pool === 'function' ? config.pool() : config.pool)
          : openPool(
              url as MysqlConnectionUrl,
              'connectTimeoutMs' in config ? config.connectTimeoutMs : undefined,
              sockets,
            ),
    };
    entry.pool.catch(() => undefined);
    entries.add(entry);
    current = entry;
    return entry;
  };
  const end = async (entry: PoolEntry): Promise<void> => {
    entries.delete(entry);
    const ending = entry.pool.then((p) => p.end());
    ending.catch(() => undefined);
    await within(ending, POOL_END_GRACE_MS);
    for (const socket of entry.sockets) socket.destroy();
    entry.sockets.clear();
  };
  /** After a network error or timeout, the next statement opens a new pool (a pool you gave is kept). */
  const retire = (entry: PoolEntry): void => {
    if ('pool' in config || current !== entry) return;
    current = undefined;
    void end(entry);
  };
  const run = async (
    sql: string,
    params: readonly unknown[],
    timeout = queryTimeoutMs,
  ): Promise<unknown> => {
    const entry = acquire();
    let connection: MysqlConnectionLike;
    try {
      connection = await (await entry.pool).getConnection();
    } catch (error) {
      if (isConnectionFailure(error)) retire(entry);
      throw error;
    }
    try {
      const [result] = await answerWithin(connection.query({ sql }, params), timeout);
      connection.release();
      return result;
    } catch (error) {
      // A connection that timed out or lost its socket may still be busy: never hand it out again.
      if (isConnectionFailure(error)) {
        connection.destroy();
        retire(entry);
      } else connection.release();
      throw error;
    }
  };
  const select = async (sql: string, params: readonly SqlValue[]): Promise<ResultRow[]> =>
    (await run(sql, params)) as ResultRow[];
  return {
    name: 'mysql',
    target,
    quote: quoteMysqlIdentifier,
    resolveCollation: (configured) => resolveMysqlCollation(select, configured),
    async createTable(table, collation) {
      await run(renderMysqlDdl(table, collation), []);
    },
    async insertRows(table, rows) {
      if (rows.length === 0) return;
      await run(insertSql(table, rows.length), rows.flat(), writeTimeoutMs);
    },
    async deleteOlderThan(table, timeColumn, cutoff, limit) {
      const q = quoteMysqlIdentifier;
      const result = (await run(
        `DELETE FROM ${q(table.name)} WHERE ${q(timeColumn)} < ? LIMIT ?`,
        [cutoff, limit],
        writeTimeoutMs,
      )) as { affectedRows?: number };
      return result.affectedRows ?? 0;
    },
    select,
    async ping() {
      await run('SELECT 1', [], writeTimeoutMs);
    },
    classifyError: classifyMysqlError,
    async close() {
      closed = true;
      current = undefined;
      await Promise.all([...entries].map(end));
    },
  };
}

/**
 * Rejects with a retryable timeout error when `query` has not answered within `ms`. The timer is
 * ours, not the driver's, so it never outlives the statement nor holds the process open.
 */
async function answerWithin<T>(query: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  query.catch(() => undefined);
  try {
    return await Promise.race([
      query,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(
            `the database did not answer within ${ms} ms; check that it is up and reachable`,
          );
          reject(Object.assign(error, { code: 'PROTOCOL_SEQUENCE_TIMEOUT' }));
        }, ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A network error or timeout (no SQLSTATE from the server): the connection cannot be trusted. */
function isConnectionFailure(error: unknown): boolean {
  const { sqlState } = (error ?? {}) as { sqlState?: unknown };
  return typeof sqlState !== 'string' && classifyMysqlError(error) === 'retry';
}

/**
 * A multi-row INSERT that skips rows whose primary key is already stored, so a batch retried
 * after a lost answer (connection reset, timeout) never stores a row twice; the no-op update
 * keeps strict-mode data errors, which INSERT IGNORE would turn into warnings.
 */
function insertSql(table: TableModel, rowCount: number): string {
  const q = quoteMysqlIdentifier;
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  const key = q(table.primaryKey[0] ?? (table.columns[0]?.name as string));
  return `INSERT INTO ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')} ON DUPLICATE KEY UPDATE ${key} = ${key}`;
}

async function openPool(
  url: MysqlConnectionUrl,
  connectTimeoutMs: number | undefined,
  sockets: Set<Socket>,
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
    connectTimeout: connectTimeoutMs ?? 2_000,
    // Our own sockets, so that close() can destroy every one, even on a database that never answers.
    stream: () => {
      const socket = connect(url.port, url.host);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      return socket;
    },
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
  });
}
