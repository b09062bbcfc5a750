import { setImmediate as turn } from 'node:timers/promises';
import {
  type ConnectionUrl,
  connectionUrlOf,
  createDialect,
  type DefMetricDialect,
  type MysqlConnectionUrl,
  type ResultRow,
  type SqlValue,
} from '../../def-metric/index.js';

/**
 * Where the analytics read rows: the def_metric dialect (aggregate SELECTs, the baseline table)
 * and a row stream for the statistics that need every value.
 */
export interface HistorySource {
  readonly dialect: DefMetricDialect;
  /**
   * Streams the rows of a parameterised SELECT one at a time, never holding the result in memory:
   * `StatementSync.iterate()` on SQLite, a mysql2 query stream with back-pressure on MySQL.
   */
  stream(sql: string, params: readonly SqlValue[]): AsyncIterable<ResultRow>;
  /** Closes the dialect and any streaming connection. */
  close(): Promise<void>;
}

/** Rows handed out between two event-loop turns on SQLite (its iterator is synchronous). */
const SQLITE_ROWS_PER_TURN = 2_000;
/** Rows buffered by the MySQL stream before the connection is paused. */
const MYSQL_HIGH_WATER_MARK = 1_000;

/** Opens a {@link HistorySource} on a connection URL. */
export function openHistorySource(url: ConnectionUrl | string): HistorySource {
  const parsed = connectionUrlOf(url);
  const dialect = createDialect(parsed);
  const closers = new Set<() => Promise<void>>();
  return {
    dialect,
    stream: (sql, params) =>
      parsed.kind === 'sqlite'
        ? sqliteRows(parsed.path, sql, params, closers)
        : mysqlRows(parsed, sql, params, closers),
    async close() {
      await Promise.all([...closers].map((close) => close()));
      await dialect.close();
    },
  };
}

async function* sqliteRows(
  path: string,
  sql: string,
  params: readonly SqlValue[],
  closers: Set<() => Promise<void>>,
): AsyncGenerator<ResultRow> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(path, path === ':memory:' ? {} : { readOnly: true });
  const close = async () => db.close();
  closers.add(close);
  try {
    let sinceTurn = 0;
    for (const row of db.prepare(sql).iterate(...params)) {
      yield row as ResultRow;
      if (++sinceTurn === SQLITE_ROWS_PER_TURN) {
        sinceTurn = 0;
        await turn();
      }
    }
  } finally {
    closers.delete(close);
    if (db.isOpen) db.close();
  }
}

/** The part of a mysql2 callback connection used for streaming. */
interface StreamingConnection {
  query(
    options: { sql: string },
    values: readonly unknown[],
  ): { stream(o: object): AsyncIterable<unknown> };
  end(callback: (error?: unknown) => void): void;
  destroy(): void;
}

async function* mysqlRows(
  url: MysqlConnectionUrl,
  sql: string,
  params: readonly SqlValue[],
  closers: Set<() => Promise<void>>,
): AsyncGenerator<ResultRow> {
  const driver = (await import('mysql2')) as unknown as {
    createConnection(config: Record<string, unknown>): StreamingConnection;
  };
  const connection = driver.createConnection({
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password(),
    database: url.database,
    connectTimeout: 5_000,
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
  });
  const close = async () => connection.destroy();
  closers.add(close);
  try {
    const rows = connection.query({ sql }, params).stream({ highWaterMark: MYSQL_HIGH_WATER_MARK });
    for await (const row of rows) yield row as ResultRow;
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  } finally {
    closers.delete(close);
    connection.destroy();
  }
}
