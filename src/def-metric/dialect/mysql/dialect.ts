import { connect, type Socket } from 'node:net';
import { OpmeterConfigError } from '../../../core/config-error.js';
import type { TableModel } from '../../schema/table-model.js';
import { within } from '../../within.js';
import { connectionUrlOf, type MysqlConnectionUrl } from '../connection-url.js';
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
  /** The server's id of the connection (mysql2 has it): lets a probe ask whether it is executing. */
  readonly threadId?: number;
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
  /**
   * The health probe (`SELECT 1` on a connection of its own, opened for it and closed after)
   * fails when it has no answer after this, connecting included (default 1000 ms).
   */
  readonly probeTimeoutMs?: number;
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

/** How long a probe that got its answer lets its connection say goodbye before destroying it. */
const PROBE_END_GRACE_MS = 100;

/**
 * Creates the MySQL/MariaDB dialect; the `mysql2` pool is created on first use. Every statement
 * runs on a connection taken from the pool: one that fails with a network error or a timeout is
 * destroyed, never reused. The health probe runs on a connection of its own, so a probe hanging on
 * a silent database holds no pooled connection. `close()` resolves within about 200 ms and leaves
 * no socket open.
 */
export function createMysqlDialect(config: MysqlDialectConfig): DefMetricDialect {
  const queryTimeoutMs = config.queryTimeoutMs ?? 30_000;
  const writeTimeoutMs = config.writeTimeoutMs ?? 3_000;
  const probeTimeoutMs = config.probeTimeoutMs ?? 1_000;
  const connectTimeoutMs = 'connectTimeoutMs' in config ? config.connectTimeoutMs : undefined;
  let url: MysqlConnectionUrl | undefined;
  if ('url' in config) {
    const parsed = connectionUrlOf(config.url);
    if (parsed.kind !== 'mysql') {
      throw new OpmeterConfigError('createMysqlDialect needs a mysql:// or mariadb:// URL');
    }
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
  /** Statements in flight (getting a connection, or sent and waiting for the answer). */
  const inFlight = new Set<Statement>();
  /** Sockets of health probes in flight. */
  const probeSockets = new Set<Socket>();
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
          : openPool(url as MysqlConnectionUrl, connectTimeoutMs, sockets),
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
    const abort = new AbortController();
    const statement: Statement = { abort, since: Date.now(), connection: undefined };
    inFlight.add(statement);
    try {
      let connection: MysqlConnectionLike;
      const getting = entry.pool.then((pool) => pool.getConnection());
      try {
        connection = await abortable(getting, abort.signal);
      } catch (error) {
        // A connection handed over after the statement was given up is not used.
        if (abort.signal.aborted)
          getting.then(
            (late) => late.destroy(),
            () => undefined,
          );
        if (isConnectionFailure(error)) retire(entry);
        throw error;
      }
      statement.connection = connection;
      statement.since = Date.now();
      try {
        const [result] = await answerWithin(
          abortable(connection.query({ sql }, params), abort.signal),
          timeout,
        );
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
    } finally {
      inFlight.delete(statement);
    }
  };
  /** `sql` on a connection opened for it (a pool you gave: one of its connections), answered within `probeTimeoutMs`. */
  const probe = async (sql = 'SELECT 1', params: readonly unknown[] = []): Promise<unknown> => {
    if (closed) throw new Error(`the def_metric dialect for ${target} is closed`);
    if ('pool' in config) {
      const getting = (await acquire().pool).getConnection();
      let connection: MysqlConnectionLike;
      try {
        connection = await answerWithin(getting, probeTimeoutMs);
      } catch (error) {
        // A connection handed over after the deadline goes back to your pool.
        getting.then(
          (late) => late.release(),
          () => undefined,
        );
        throw error;
      }
      try {
        const [rows] = await answerWithin(connection.query({ sql }, params), probeTimeoutMs);
        connection.release();
        return rows;
      } catch (error) {
        connection.destroy();
        throw error;
      }
    }
    const sockets = new Set<Socket>();
    const opened = openConnection(url as MysqlConnectionUrl, probeTimeoutMs, (socket) => {
      sockets.add(socket);
      probeSockets.add(socket);
      socket.once('close', () => probeSockets.delete(socket));
    });
    opened.catch(() => undefined);
    try {
      const [rows] = await answerWithin(
        opened.then((connection) => connection.query(sql, params)),
        probeTimeoutMs,
      );
      await within(
        opened.then((connection) => connection.end()),
        PROBE_END_GRACE_MS,
      );
      return rows;
    } finally {
      for (const socket of sockets) socket.destroy();
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
      await probe();
    },
    async dropStalled(minAgeMs) {
      const now = Date.now();
      const waiting = [...inFlight].filter((statement) => now - statement.since >= minAgeMs);
      if (waiting.length === 0) return false;
      const ids = waiting
        .map((statement) => statement.connection?.threadId)
        .filter((id): id is number => typeof id === 'number');
      // On the probe's own new connection: it connecting and being answered shows the database is up.
      const rows = (await (ids.length === 0
        ? probe()
        : probe(
            `SELECT ID AS id, COMMAND AS command FROM information_schema.PROCESSLIST WHERE ID IN (${ids.map(() => '?').join(', ')})`,
            ids,
          ))) as Array<{ id: unknown; command: unknown }>;
      const executing = new Set(
        (ids.length === 0 ? [] : rows)
          .filter((row) => row.command !== 'Sleep')
          .map((row) => Number(row.id)),
      );
      let dropped = false;
      for (const statement of waiting) {
        if (!inFlight.has(statement)) continue;
        const id = statement.connection?.threadId;
        // Still connecting while the probe connected at once, or sent but not executing: lost.
        const lost = statement.connection === undefined || (id !== undefined && !executing.has(id));
        if (!lost) continue;
        statement.abort.abort();
        dropped = true;
      }
      return dropped;
    },
    classifyError: classifyMysqlError,
    async close() {
      closed = true;
      current = undefined;
      for (const socket of probeSockets) socket.destroy();
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

/** A statement in flight: since when it waits for a connection (`connection` undefined) or for its answer. */
interface Statement {
  readonly abort: AbortController;
  since: number;
  connection: MysqlConnectionLike | undefined;
}

/** `promise`, or a retryable lost-connection error as soon as `signal` aborts (`dropStalled()`). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      const error = new Error(
        'the statement was lost (the database answers a new connection but is not executing it, or never got it): its connection is dropped',
      );
      reject(Object.assign(error, { code: 'PROTOCOL_CONNECTION_LOST', stalled: true }));
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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

/** The parts of `mysql2/promise` used here. */
interface MysqlDriver {
  createPool(config: Record<string, unknown>): MysqlPoolLike;
  createConnection(config: Record<string, unknown>): Promise<{
    query(sql: string, values: readonly unknown[]): Promise<[unknown, unknown]>;
    end(): Promise<void>;
  }>;
}

async function loadDriver(): Promise<MysqlDriver> {
  return (await import('mysql2/promise')) as unknown as MysqlDriver;
}

/** The driver options of `url`, on sockets of our own (each handed to `track`), so every one can be destroyed. */
function driverConfig(
  url: MysqlConnectionUrl,
  connectTimeoutMs: number,
  track: (socket: Socket) => void,
): Record<string, unknown> {
  return {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password(),
    database: url.database,
    connectTimeout: connectTimeoutMs,
    // Our own sockets, so that close() can destroy every one, even on a database that never answers.
    stream: () => {
      const socket = connect(url.port, url.host);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      track(socket);
      return socket;
    },
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
  };
}

async function openPool(
  url: MysqlConnectionUrl,
  connectTimeoutMs: number | undefined,
  sockets: Set<Socket>,
): Promise<MysqlPoolLike> {
  const driver = await loadDriver();
  return driver.createPool({
    ...driverConfig(url, connectTimeoutMs ?? 2_000, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }),
    connectionLimit: url.connectionLimit,
  });
}

/** One connection outside the pool (the health probe's). */
async function openConnection(
  url: MysqlConnectionUrl,
  connectTimeoutMs: number,
  track: (socket: Socket) => void,
): ReturnType<MysqlDriver['createConnection']> {
  const driver = await loadDriver();
  return driver.createConnection(driverConfig(url, connectTimeoutMs, track));
}
