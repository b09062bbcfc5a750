import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_REASON,
  createDefMetricWriter,
  type DefMetricDialect,
  type DefMetricRowWriter,
  DROP_REASON_CLOSED,
  deleteExpiredRows,
  errorRateByOperation,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
  METRIC_ROWS_FIXED,
  METRIC_ROWS_REJECTED,
  METRIC_ROWS_WRITTEN,
  memoryTrend,
  REJECT_REASON_TOO_LONG,
  REJECT_REASON_UNKNOWN_TABLE,
  REJECT_REASON_WRONG_TYPE,
  type RowWriterOptions,
  slowestOperations,
} from '../../src/def-metric/index.js';
import { DIALECTS, type DialectFixture, openFixture, waitFor } from './helpers/dialects.js';
import { mariadbAvailable } from './helpers/mariadb.js';
import { useWriterSuite } from './helpers/writer-suite.js';

const MARIADB_UP = await mariadbAvailable('def_metric writer suite (mysql dialect)');
const registry = loadSchemaRegistry();
const DAY = 86_400_000;
const IMPORT = 'def_dataimport_metric';

/** Strings that must be stored byte for byte. */
const HOSTILE = [
  `it's "quoted" \`back\` ''`,
  'back\\slash \\\\ \\\' \\" \\n \\0 end\\',
  "'; DROP TABLE def_dataimport_metric; --",
  `"); DELETE FROM def_dataimport_metric WHERE ('1'='1`,
  'tab\there\r\nnew line \x1a ctrl-z \x08 bs',
  Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join(''),
  Array.from({ length: 200 }, (_, i) => String.fromCodePoint(((i * 7919) % 0xd000) + 1)).join(''),
  '😀 👩‍👩‍👧‍👦 🏳️‍🌈 𝄞 café ß 漢字 \u200b',
];

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `def_metric writer on ${dialectName}`,
    () => {
      const suite = useWriterSuite(dialectName, registry, { flushIntervalMs: 50 });

      async function open(options: Partial<RowWriterOptions> = {}): Promise<DefMetricRowWriter> {
        const writer = suite.open(options);
        await writer.ready();
        return writer;
      }

      async function select(
        sql: string,
        ...params: (string | number)[]
      ): Promise<Record<string, unknown>[]> {
        return suite.reader.select(
          sql.replaceAll('`', dialectName === 'mysql' ? '`' : '"'),
          params,
        );
      }

      const count = (table: string, code: string) => suite.count(table, code);

      it('writes a row with the right values (round trip)', async () => {
        const writer = await open();
        writer.enqueue(IMPORT, {
          DataimportCode: 'roundtrip',
          Package: 'core',
          AxionImportTime: new Date(Date.UTC(2025, 11, 28, 9, 30, 15, 999)),
          AxionImportGuid: '00000000-0000-4000-8000-000000000001',
          OperationName: 'import_file',
          TargetEntity: 'orders.csv',
          ItemsProcessed: 12_345,
          ElapsedSeconds: 2.34567,
          MemoryUsageMB: 512.345,
          FileSizeMB: 42.4242,
          CacheHits: 7,
          APICallsMade: 3,
          OperationSuccess: false,
          ErrorMessage: 'disk full',
          ErrorCategory: 'IO_ERROR',
        });
        await writer.flush();
        const rows = await select(
          `SELECT * FROM \`${IMPORT}\` WHERE \`DataimportCode\` = ?`,
          'roundtrip',
        );
        expect(rows).toHaveLength(1);
        expect({ ...rows[0] }).toEqual({
          DataimportCode: 'roundtrip',
          Package: 'core',
          AxionImportTime: '2025-12-28 09:30:15',
          AxionImportGuid: '00000000-0000-4000-8000-000000000001',
          OperationName: 'import_file',
          TargetEntity: 'orders.csv',
          ItemsProcessed: 12_345,
          ElapsedSeconds: 2.346,
          ItemsPerSecond: 5262.89,
          MemoryUsageMB: 512.35,
          FileSizeMB: 42.42,
          CacheHits: 7,
          APICallsMade: 3,
          OperationSuccess: 'N',
          ErrorMessage: 'disk full',
          ErrorCategory: 'IO_ERROR',
        });
        expect(
          await suite.meter.sum(METRIC_ROWS_WRITTEN, { [ATTR_DB_COLLECTION_NAME]: IMPORT }),
        ).toBe(1);
      });

      it('writes a minimal row into every shipped table, with the column defaults', async () => {
        const writer = await open();
        for (const table of registry.tables()) {
          writer.enqueue(table.name, {
            [table.primaryKey[0] as string]: 'minimal',
            Package: 'p',
            OperationSuccess: true,
          });
        }
        await writer.flush();
        for (const table of registry.tables()) {
          const code = table.primaryKey[0] as string;
          const [row] = await select(
            `SELECT * FROM \`${table.name}\` WHERE \`${code}\` = ?`,
            'minimal',
          );
          expect(row?.OperationSuccess, table.name).toBe('Y');
          expect(String(row?.AxionImportGuid)).toMatch(/^[0-9a-f-]{36}$/);
          expect(row?.ErrorMessage).toBeNull();
        }
        const [workflow] = await select(
          'SELECT `StepsCompleted`, `RetryAttempts` FROM `def_workflow_metric`',
        );
        expect(workflow).toMatchObject({ StepsCompleted: 0, RetryAttempts: 0 });
      });

      it('stores quotes, backslashes, injection attempts, binary junk and emoji verbatim', async () => {
        const writer = await open();
        HOSTILE.forEach((text, i) => {
          writer.enqueue(IMPORT, {
            DataimportCode: `hostile-${i}`,
            Package: text.slice(0, 100),
            OperationName: text,
            ErrorMessage: text.repeat(3),
          });
        });
        await writer.flush();
        expect(writer.stats()).toMatchObject({ written: HOSTILE.length, rejected: 0, fixed: 0 });
        for (const [i, text] of HOSTILE.entries()) {
          const [row] = await select(
            `SELECT \`Package\`, \`OperationName\`, \`ErrorMessage\` FROM \`${IMPORT}\` WHERE \`DataimportCode\` = ?`,
            `hostile-${i}`,
          );
          expect(row).toEqual({
            Package: text.slice(0, 100),
            OperationName: text,
            ErrorMessage: text.repeat(3),
          });
        }
        const [tables] = await select(`SELECT COUNT(*) AS n FROM \`${IMPORT}\``);
        expect(Number(tables?.n)).toBeGreaterThanOrEqual(HOSTILE.length);
      });

      it('rejects a bad row on its own and counts it; the rest of the batch is written', async () => {
        const writer = await open({ batchSize: 100 });
        for (let i = 0; i < 10; i += 1) {
          const row: Record<string, string | number> = {
            DataimportCode: 'batch-iso',
            Package: 'p',
            ItemsProcessed: i,
          };
          if (i === 3) row.DataimportCode = 'x'.repeat(300);
          if (i === 6) row.ItemsProcessed = 'lots';
          writer.enqueue(IMPORT, row);
        }
        writer.enqueue('def_unknown_metric', { Code: 'x' });
        writer.enqueue(IMPORT, {
          DataimportCode: 'batch-iso',
          Package: 'p',
          ElapsedSeconds: Number.NaN,
        });
        await writer.flush();
        expect(await count(IMPORT, 'batch-iso')).toBe(9);
        expect(writer.stats()).toMatchObject({ written: 9, rejected: 3, fixed: 1 });
        expect(
          await suite.meter.sum(METRIC_ROWS_REJECTED, { [ATTR_REASON]: REJECT_REASON_TOO_LONG }),
        ).toBe(1);
        expect(
          await suite.meter.sum(METRIC_ROWS_REJECTED, { [ATTR_REASON]: REJECT_REASON_WRONG_TYPE }),
        ).toBe(1);
        expect(
          await suite.meter.sum(METRIC_ROWS_REJECTED, {
            [ATTR_REASON]: REJECT_REASON_UNKNOWN_TABLE,
          }),
        ).toBe(1);
        expect(await suite.meter.sum(METRIC_ROWS_FIXED)).toBe(1);
        expect(suite.warnings.some((w) => w.includes('def_unknown_metric'))).toBe(true);
      });

      it('a row whose key is already stored does not sink its batch', async () => {
        const writer = await open({ batchSize: 100 });
        const key = {
          DataimportCode: 'dup',
          Package: 'p',
          AxionImportTime: '2025-01-01 00:00:00',
          AxionImportGuid: 'g-1',
        };
        writer.enqueue(IMPORT, key);
        await writer.flush();
        writer.enqueue(IMPORT, { ...key, OperationName: 'again' });
        writer.enqueue(IMPORT, { DataimportCode: 'dup', Package: 'p', AxionImportGuid: 'g-2' });
        await writer.flush();
        expect(await count(IMPORT, 'dup')).toBe(2);
      });

      it('flushes by size without waiting for the timer, and by time', async () => {
        const bySize = await open({ batchSize: 10, flushIntervalMs: 600_000 });
        for (let i = 0; i < 25; i += 1)
          bySize.enqueue(IMPORT, { DataimportCode: 'by-size', Package: 'p' });
        await waitFor(async () => (await count(IMPORT, 'by-size')) >= 20);
        const byTime = await open({ batchSize: 1_000, flushIntervalMs: 30 });
        for (let i = 0; i < 3; i += 1)
          byTime.enqueue(IMPORT, { DataimportCode: 'by-time', Package: 'p' });
        await waitFor(async () => (await count(IMPORT, 'by-time')) === 3);
      });

      it('never throws from enqueue, and counts rows enqueued after close as dropped', async () => {
        const writer = await open();
        await writer.close();
        expect(() =>
          writer.enqueue(IMPORT, { DataimportCode: 'late', Package: 'p' }),
        ).not.toThrow();
        expect(() => writer.enqueue(IMPORT, null as never)).not.toThrow();
        expect(
          await suite.meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_CLOSED }),
        ).toBe(2);
        expect(await count(IMPORT, 'late')).toBe(0);
      });

      it('runs retention every K written batches, not after every write', async () => {
        const inner = suite.fixture.dialect();
        let retentionCalls = 0;
        const dialect: DefMetricDialect = {
          ...inner,
          deleteOlderThan: async (...args) => {
            retentionCalls += 1;
            return inner.deleteOlderThan(...args);
          },
        };
        const writer = suite.open({ dialect, retention: { everyBatches: 3 } });
        for (let batch = 1; batch <= 2; batch += 1) {
          writer.enqueue(IMPORT, { DataimportCode: 'k-batches', Package: 'p' });
          await writer.flush();
        }
        expect(retentionCalls).toBe(0);
        writer.enqueue(IMPORT, { DataimportCode: 'k-batches', Package: 'p' });
        await writer.flush();
        await waitFor(() => retentionCalls > 0);
      });

      it('retention deletes rows older than N days, in chunks', async () => {
        const now = Date.now();
        const writer = await open({
          batchSize: 1,
          // six one-row batches: the sixth, written after every old row, triggers the cleanup
          retention: { days: 90, everyBatches: 6, chunkSize: 2 },
        });
        for (let i = 0; i < 5; i += 1) {
          writer.enqueue(IMPORT, {
            DataimportCode: 'old',
            Package: 'p',
            AxionImportTime: new Date(now - (91 + i) * DAY),
          });
        }
        writer.enqueue(IMPORT, {
          DataimportCode: 'fresh',
          Package: 'p',
          AxionImportTime: new Date(now - 89 * DAY),
        });
        await writer.flush();
        await waitFor(async () => (await count(IMPORT, 'old')) === 0);
        expect(await count(IMPORT, 'fresh')).toBe(1);
        await writer.close();

        const table = registry.require(IMPORT);
        const calls: number[] = [];
        const counting: DefMetricDialect = {
          ...suite.reader,
          deleteOlderThan: async (...args) => {
            const deleted = await suite.reader.deleteOlderThan(...args);
            calls.push(deleted);
            return deleted;
          },
        };
        const seed = await open({ retention: false });
        for (let i = 0; i < 5; i += 1) {
          seed.enqueue(IMPORT, {
            DataimportCode: 'old2',
            Package: 'p',
            AxionImportTime: new Date(now - 100 * DAY),
          });
        }
        await seed.flush();
        expect(await deleteExpiredRows(counting, table, { days: 90, chunkSize: 2 })).toBe(5);
        expect(calls).toEqual([2, 2, 1]);
      });

      describe('reports', () => {
        const now = Date.UTC(2026, 0, 15, 12, 0, 0);
        const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
        let own: DialectFixture;
        let reader: DefMetricDialect;

        beforeAll(async () => {
          own = await openFixture(dialectName);
          reader = own.dialect();
          const writer = createDefMetricWriter({
            url: own.url,
            schemas: registry,
            retention: false,
          });
          const rows: Array<[string, string, number, number, number, boolean]> = [
            ['orders', 'import_file', 1, 2.0, 100, true],
            ['orders', 'import_file', 2, 4.0, 300, false],
            ['orders', 'validate', 1, 0.5, 100, true],
            ['users', 'import_file', 3, 1.0, 200, true],
            ['users', 'import_file', 40, 99.0, 999, false],
          ];
          for (const [code, operation, daysAgo, elapsed, memory, success] of rows) {
            writer.enqueue('def_batch_metric', {
              BatchCode: code,
              Package: 'rep',
              AxionImportTime: at(daysAgo),
              OperationName: operation,
              ItemsProcessed: 100,
              ElapsedSeconds: elapsed,
              MemoryUsageMB: memory,
              OperationSuccess: success,
            });
          }
          for (const [code, ok] of [
            ['nightly', true],
            ['nightly', false],
            ['hourly', true],
          ] as const) {
            writer.enqueue('def_workflow_metric', {
              WorkflowCode: code,
              Package: 'rep',
              AxionImportTime: at(1),
              ElapsedSeconds: ok ? 1 : 3,
              MemoryUsageMB: 10,
              OperationSuccess: ok,
            });
          }
          await writer.close();
        });

        afterAll(async () => {
          await reader?.close();
          await own?.cleanup();
        });

        it('slowest operations: average time and rate by code and operation, slowest first', async () => {
          const result = await slowestOperations(reader, registry.require('def_batch_metric'), {
            now,
          });
          expect(result.columns).toEqual([
            'BatchCode',
            'OperationName',
            'AvgTime',
            'AvgRate',
            'Operations',
          ]);
          expect(result.rows).toEqual([
            {
              BatchCode: 'orders',
              OperationName: 'import_file',
              AvgTime: 3,
              AvgRate: 37.5,
              Operations: 2,
            },
            {
              BatchCode: 'users',
              OperationName: 'import_file',
              AvgTime: 1,
              AvgRate: 100,
              Operations: 1,
            },
            {
              BatchCode: 'orders',
              OperationName: 'validate',
              AvgTime: 0.5,
              AvgRate: 200,
              Operations: 1,
            },
          ]);
        });

        it('memory trend: average and peak per day within the window', async () => {
          const result = await memoryTrend(reader, registry.require('def_batch_metric'), {
            now,
            sinceMs: 30 * DAY,
          });
          expect(result.rows).toEqual([
            { Date: '2026-01-12', AvgMemory: 200, PeakMemory: 200 },
            { Date: '2026-01-13', AvgMemory: 300, PeakMemory: 300 },
            { Date: '2026-01-14', AvgMemory: 100, PeakMemory: 100 },
          ]);
        });

        it('error rate by operation above the threshold', async () => {
          const result = await errorRateByOperation(reader, registry.require('def_batch_metric'), {
            now,
          });
          expect(result.rows).toEqual([
            { OperationName: 'import_file', TotalOps: 3, Failures: 1, ErrorRate: 33.33 },
          ]);
          const wide = await errorRateByOperation(reader, registry.require('def_batch_metric'), {
            now,
            sinceMs: 60 * DAY,
          });
          expect(wide.rows[0]).toEqual({
            OperationName: 'import_file',
            TotalOps: 4,
            Failures: 2,
            ErrorRate: 50,
          });
        });

        it('falls back to the code column for tables without OperationName', async () => {
          const workflow = registry.require('def_workflow_metric');
          const errors = await errorRateByOperation(reader, workflow, { now });
          expect(errors.rows).toEqual([
            { WorkflowCode: 'nightly', TotalOps: 2, Failures: 1, ErrorRate: 50 },
          ]);
          const slowest = await slowestOperations(reader, workflow, { now });
          expect(slowest.columns).toEqual(['WorkflowCode', 'AvgTime', 'Operations']);
          expect(slowest.rows[0]).toEqual({ WorkflowCode: 'nightly', AvgTime: 2, Operations: 2 });
        });

        it('explains which column a table lacks for a report', async () => {
          await expect(
            memoryTrend(reader, registry.require('def_api_metric'), { now }),
          ).rejects.toThrow(
            /memory report needs column MemoryUsageMB, which def_api_metric does not have/,
          );
        });
      });
    },
  );
}
