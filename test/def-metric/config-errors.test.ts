import { describe, expect, it } from 'vitest';
import { classifyMysqlError } from '../../src/def-metric/dialect/mysql/errors.js';
import { classifySqliteError } from '../../src/def-metric/dialect/sqlite/errors.js';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_REASON,
  type DefMetricDialect,
  DROP_REASON_CONFIG_ERROR,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
  migrate,
  type RowWriterOptions,
} from '../../src/def-metric/index.js';
import { DIALECTS, waitFor } from './helpers/dialects.js';
import { mariadbAvailable } from './helpers/mariadb.js';
import { useWriterSuite } from './helpers/writer-suite.js';

const MARIADB_UP = await mariadbAvailable('def_metric configuration-error suite (mysql dialect)');
const registry = loadSchemaRegistry();
const IMPORT = 'def_dataimport_metric';
const BATCH = 'def_batch_metric';

describe('write error classification', () => {
  it.each([
    ['ECONNREFUSED', 'retry'],
    ['ECONNRESET', 'retry'],
    ['ETIMEDOUT', 'retry'],
    ['PROTOCOL_CONNECTION_LOST', 'retry'],
    ['PROTOCOL_SEQUENCE_TIMEOUT', 'retry'],
    ['ER_LOCK_DEADLOCK', 'retry'],
    ['ER_CON_COUNT_ERROR', 'retry'],
    ['ER_ACCESS_DENIED_ERROR', 'config'],
    ['ER_TABLEACCESS_DENIED_ERROR', 'config'],
    ['ER_BAD_DB_ERROR', 'config'],
    ['ER_NO_SUCH_TABLE', 'config'],
    ['ER_UNKNOWN_COLLATION', 'config'],
  ])('mysql %s is %s', (code, kind) => {
    expect(classifyMysqlError(Object.assign(new Error(code), { code }))).toBe(kind);
  });

  it.each([
    [5, 'retry'], // SQLITE_BUSY
    [10, 'retry'], // SQLITE_IOERR
    [1, 'config'], // SQLITE_ERROR: no such table or column
    [14, 'config'], // SQLITE_CANTOPEN
    [8, 'config'], // SQLITE_READONLY
  ])('sqlite errcode %i is %s', (errcode, kind) => {
    expect(classifySqliteError(Object.assign(new Error('x'), { errcode }))).toBe(kind);
  });
});

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `def_metric writer configuration errors on ${dialectName}`,
    () => {
      const suite = useWriterSuite(dialectName, registry, {
        flushIntervalMs: 20,
        retryInitialMs: 20,
        warningIntervalMs: 0,
      });
      const open = (options: Partial<RowWriterOptions>) => suite.open(options);

      const row = (code: string) => ({ DataimportCode: code, BatchCode: code, Package: 'p' });

      const count = (table: string, code: string) => suite.count(table, code);

      it('a missing table is not retried: its rows are dropped and counted, warned once; other tables go on', async () => {
        await migrate(suite.reader, [registry.require(IMPORT)]);
        const writer = open({ migrate: false });
        writer.enqueue(IMPORT, row('cfg-ok'));
        writer.enqueue(BATCH, row('cfg-missing'));
        writer.enqueue(BATCH, row('cfg-missing'));
        await writer.flush();
        for (let i = 0; i < 3; i += 1) {
          writer.enqueue(BATCH, row('cfg-missing'));
          writer.enqueue(IMPORT, row('cfg-ok'));
          await writer.flush();
        }
        expect(await count(IMPORT, 'cfg-ok')).toBe(4);
        expect(writer.stats()).toMatchObject({ written: 4, dropped: 5, rejected: 0, waiting: 0 });
        expect(
          await suite.meter.sum(METRIC_ROWS_DROPPED, {
            [ATTR_REASON]: DROP_REASON_CONFIG_ERROR,
            [ATTR_DB_COLLECTION_NAME]: BATCH,
          }),
        ).toBe(5);
        const config = suite.warnings.filter((w) => w.includes(BATCH));
        expect(config).toHaveLength(1);
        expect(config[0]).toMatch(/opmeter migrate/);
        expect(suite.warnings.some((w) => /unavailable|retrying/.test(w))).toBe(false);
      });

      it('a table dropped while running is created again (migrate on), nothing is dropped', async () => {
        const writer = open({});
        await writer.ready();
        writer.enqueue(BATCH, row('recreated'));
        await writer.flush();
        await suite.reader.select(`DROP TABLE ${suite.reader.quote(BATCH)}`, []);
        writer.enqueue(BATCH, row('recreated'));
        await writer.flush();
        expect(await count(BATCH, 'recreated')).toBe(1);
        expect(writer.stats()).toMatchObject({ written: 2, dropped: 0 });
      });

      it('a transient error keeps the backoff: the rows wait and are written afterwards', async () => {
        let failures = 3;
        const inner = suite.fixture.dialect();
        const dialect: DefMetricDialect = {
          ...inner,
          async insertRows(table, rows) {
            if (failures > 0) {
              failures -= 1;
              throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
                code: 'ECONNREFUSED',
                errcode: undefined,
              });
            }
            return inner.insertRows(table, rows);
          },
        };
        const writer = suite.open({ dialect, retryInitialMs: 10 });
        writer.enqueue(IMPORT, row('transient'));
        await writer.flush();
        expect(failures).toBe(0);
        expect(await count(IMPORT, 'transient')).toBe(1);
        expect(writer.stats()).toMatchObject({ written: 1, dropped: 0 });
        expect(suite.warnings.filter((w) => w.includes('retrying'))).toHaveLength(3);
      });

      // Collations exist on MySQL/MariaDB only.
      if (dialectName === 'mysql')
        it('an unknown collation stops the writer: one clear warning, every row dropped and counted, flush returns', async () => {
          const writer = open({ collation: 'utf8mb4_nope_ci' });
          await expect(writer.ready()).rejects.toThrow(/unknown collation 'utf8mb4_nope_ci'/);
          writer.enqueue(IMPORT, row('no-collation'));
          writer.enqueue(BATCH, row('no-collation'));
          await writer.flush();
          writer.enqueue(IMPORT, row('no-collation'));
          await writer.flush();
          expect(writer.stats()).toMatchObject({ written: 0, dropped: 3, waiting: 0 });
          expect(
            await suite.meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_CONFIG_ERROR }),
          ).toBe(3);
          expect(suite.warnings).toHaveLength(1);
          expect(suite.warnings[0]).toMatch(/unknown collation 'utf8mb4_nope_ci'.*SHOW COLLATION/);
          await waitFor(() => writer.stats().waiting === 0);
        });
    },
  );
}
