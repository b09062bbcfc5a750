import { describe, expect, it, vi } from 'vitest';
import {
  createDefMetricWriter,
  createMysqlDialect,
  loadSchemaRegistry,
  migrate,
} from '../../src/def-metric/index.js';
import { HealthProbes, StalledWriteError } from '../../src/def-metric/writer/health-probes.js';
import { waitFor } from './helpers/dialects.js';
import { useFaultedDatabase } from './helpers/faulted-database.js';
import { mariadbAvailable } from './helpers/mariadb.js';

const MARIADB_UP = await mariadbAvailable('def_metric stalled-writes suite');
const registry = loadSchemaRegistry();
const TABLE = 'def_dataimport_metric';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const row = (code: string, i: number): (string | number | null)[] =>
  registry
    .require(TABLE)
    .columns.map((c) =>
      c.name === 'DataimportCode'
        ? code
        : c.name === 'Package'
          ? 'p'
          : c.name === 'AxionImportTime'
            ? '2025-01-01 00:00:00'
            : c.name === 'AxionImportGuid'
              ? `${code}-${i}`
              : null,
    );

describe('HealthProbes.watch', () => {
  it('asks about a write every interval while it waits, and rethrows a dropped one as StalledWriteError', async () => {
    vi.useFakeTimers();
    try {
      const asked: number[] = [];
      let fail: (error: unknown) => void = () => {};
      const dialect = {
        dropStalled: async (minAgeMs: number) => {
          asked.push(minAgeMs);
          if (asked.length === 2) {
            fail(Object.assign(new Error('lost'), { stalled: true }));
            return true;
          }
          return false;
        },
      };
      const probes = new HealthProbes(dialect, 500);
      const attempt = new Promise<void>((_, reject) => {
        fail = reject;
      });
      const watched = probes.watch(attempt);
      watched.catch(() => undefined);
      await vi.advanceTimersByTimeAsync(499);
      expect(asked).toEqual([]);
      await vi.advanceTimersByTimeAsync(501);
      await expect(watched).rejects.toBeInstanceOf(StalledWriteError);
      expect(asked).toEqual([500, 500]);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(asked).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a write that fails otherwise keeps its own error; one that succeeds stops the questions', async () => {
    const probes = new HealthProbes({ dropStalled: async () => false }, 10);
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    await expect(probes.watch(Promise.reject(refused))).rejects.toBe(refused);
    await expect(probes.watch(sleep(30).then(() => undefined))).resolves.toBeUndefined();
  });
});

describe.skipIf(!MARIADB_UP)('dropStalled on MariaDB through the fault proxy', () => {
  const faulted = useFaultedDatabase();

  it('leaves alone a statement the database is executing, however long (a table lock held elsewhere)', async () => {
    const dialect = createMysqlDialect({ url: faulted.url(), writeTimeoutMs: 10_000 });
    try {
      await migrate(dialect, [registry.require(TABLE)]);
      const admin = faulted.database.admin;
      await admin.query(`LOCK TABLES ${TABLE} WRITE`);
      let inserted = false;
      const insert = dialect.insertRows(registry.require(TABLE), [row('locked', 0)]).then(() => {
        inserted = true;
      });
      try {
        await sleep(600);
        expect(await dialect.dropStalled?.(500)).toBe(false);
        await sleep(600);
        expect(await dialect.dropStalled?.(500)).toBe(false);
        expect(inserted).toBe(false);
      } finally {
        await admin.query('UNLOCK TABLES');
      }
      await insert;
      expect((await faulted.stored('locked')).rows).toBe(1);
    } finally {
      await dialect.close();
    }
  });

  it('drops a statement a blackholed database swallowed as soon as it answers again: it fails at once, retryable', async () => {
    const dialect = createMysqlDialect({ url: faulted.url(), writeTimeoutMs: 10_000 });
    try {
      await migrate(dialect, [registry.require(TABLE)]);
      await faulted.proxy.set({ kind: 'blackhole' });
      const insert = dialect.insertRows(registry.require(TABLE), [row('swallowed', 0)]);
      insert.catch(() => undefined);
      await sleep(600);
      await expect(dialect.dropStalled?.(500)).rejects.toThrow(/did not answer/);
      await faulted.proxy.set({ kind: 'none' });
      const started = Date.now();
      expect(await dialect.dropStalled?.(500)).toBe(true);
      const error = await insert.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error).toMatchObject({ stalled: true, code: 'PROTOCOL_CONNECTION_LOST' });
      expect(dialect.classifyError(error)).toBe('retry');
      // The next statement runs on a new connection.
      await dialect.insertRows(registry.require(TABLE), [row('swallowed', 0)]);
      expect((await faulted.stored('swallowed')).rows).toBe(1);
    } finally {
      await faulted.proxy.set({ kind: 'none' });
      await dialect.close();
    }
  });

  it('a writer whose INSERT waits 2 s on a lock writes it once, with no warning and no retry', async () => {
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      retention: false,
      flushIntervalMs: 50,
      onWarning: (message) => warnings.push(message),
    });
    await writer.ready();
    const admin = faulted.database.admin;
    const insertsBefore = faulted.proxy.stats.inserts;
    await admin.query(`LOCK TABLES ${TABLE} WRITE`);
    try {
      for (let i = 0; i < 10; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: 'slow-lock', Package: 'p', ItemsProcessed: i });
      }
      await sleep(2_000);
      expect(writer.stats().written).toBe(0);
    } finally {
      await admin.query('UNLOCK TABLES');
    }
    await waitFor(() => writer.stats().written === 10, 5_000);
    expect(faulted.proxy.stats.inserts - insertsBefore).toBe(1);
    expect(warnings).toEqual([]);
    expect(await faulted.stored('slow-lock')).toEqual({ rows: 10, distinct: 10 });
    await writer.close();
  }, 20_000);
});
