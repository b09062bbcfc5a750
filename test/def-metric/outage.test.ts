import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_REASON,
  createDefMetricWriter,
  DROP_REASON_QUEUE_FULL,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
} from '../../src/def-metric/index.js';
import { waitFor } from './helpers/dialects.js';
import {
  createTestDatabase,
  MARIADB,
  mariadbAvailable,
  type TestDatabase,
} from './helpers/mariadb.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { createTestMeter } from './helpers/test-meter.js';

const MARIADB_UP = await mariadbAvailable('def_metric outage suite');
const TABLE = 'def_dataimport_metric';
const registry = loadSchemaRegistry();

describe.skipIf(!MARIADB_UP)('def_metric writer through a database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(MARIADB.host, MARIADB.port);
  });

  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });

  async function stored(code: string): Promise<{ rows: number; distinct: number }> {
    const [result] = await database.admin.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT ItemsProcessed) AS d FROM ${TABLE} WHERE DataimportCode = ?`,
      [code],
    );
    const row = (result as Array<{ n: number; d: number }>)[0];
    return { rows: Number(row?.n), distinct: Number(row?.d) };
  }

  it('keeps every row enqueued while the database is cut off for seconds, and writes them all after', async () => {
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: database.url(proxy.port),
      schemas: registry,
      batchSize: 20,
      flushIntervalMs: 20,
      retryInitialMs: 50,
      retryMaxMs: 400,
      maxQueueSize: 100_000,
      retention: false,
      onWarning: (message) => warnings.push(message),
      warningIntervalMs: 1_000,
    });
    await writer.ready();
    let sent = 0;
    const produce = setInterval(() => {
      for (let i = 0; i < 5; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: 'outage', Package: 'p', ItemsProcessed: sent });
        sent += 1;
      }
    }, 5);
    try {
      await waitFor(async () => (await stored('outage')).rows >= 50);
      await proxy.cut();
      const sentAtCut = sent;
      const cutUntil = Date.now() + 3_000;
      await waitFor(() => Date.now() >= cutUntil, 5_000);
      expect(sent - sentAtCut).toBeGreaterThan(100);
      expect(writer.stats().waiting).toBeGreaterThan(0);
      expect(warnings.some((w) => w.includes('unavailable'))).toBe(true);
      await proxy.restore();
      await waitFor(() => sent >= sentAtCut + 1_000, 10_000);
    } finally {
      clearInterval(produce);
    }
    await writer.flush();
    expect(await stored('outage')).toEqual({ rows: sent, distinct: sent });
    expect(writer.stats()).toMatchObject({ waiting: 0, dropped: 0, rejected: 0 });
    await writer.close();
  });

  it('with a tiny queue: rows stored + rows counted as dropped = rows enqueued', async () => {
    const meter = createTestMeter();
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: database.url(proxy.port),
      schemas: registry,
      batchSize: 5,
      flushIntervalMs: 20,
      retryInitialMs: 50,
      retryMaxMs: 200,
      maxQueueSize: 10,
      retention: false,
      meterProvider: meter.meterProvider,
      onWarning: (message) => warnings.push(message),
    });
    await writer.ready();
    await proxy.cut();
    const total = 300;
    for (let i = 0; i < total; i += 1) {
      writer.enqueue(TABLE, { DataimportCode: 'tiny', Package: 'p', ItemsProcessed: i });
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await proxy.restore();
    await writer.close({ deadlineMs: 20_000 });
    const dropped = await meter.sum(METRIC_ROWS_DROPPED);
    expect(dropped).toBeGreaterThan(0);
    expect(await meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_QUEUE_FULL })).toBe(
      dropped,
    );
    expect((await stored('tiny')).rows + dropped).toBe(total);
    expect(warnings.filter((w) => w.includes('queue full'))).toHaveLength(1);
  });
});
