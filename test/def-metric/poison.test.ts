import { describe, expect, it } from 'vitest';
import {
  ATTR_REASON,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
  METRIC_ROWS_REJECTED,
  REJECT_REASON_UNKNOWN_TABLE,
  REJECT_REASON_UNREADABLE,
  REJECT_REASON_WRONG_TYPE,
} from '../../src/def-metric/index.js';
import { DIALECTS } from './helpers/dialects.js';
import { mariadbAvailable } from './helpers/mariadb.js';
import { useWriterSuite } from './helpers/writer-suite.js';

const MARIADB_UP = await mariadbAvailable('def_metric poison-row suite (mysql dialect)');
const registry = loadSchemaRegistry();
const IMPORT = 'def_dataimport_metric';
const GOOD_EACH_SIDE = 300;

/** One hostile enqueue: the table and row a careless or hostile caller might hand the writer. */
interface Poison {
  readonly table: unknown;
  readonly row: unknown;
  readonly reason: string;
}

const POISONS: Record<string, () => Poison> = {
  'a throwing getter': () => ({
    table: IMPORT,
    row: {
      DataimportCode: 'poison',
      Package: 'p',
      get ItemsProcessed(): number {
        throw new Error('getter exploded');
      },
    },
    reason: REJECT_REASON_UNREADABLE,
  }),
  'a Proxy whose traps throw': () => ({
    table: IMPORT,
    row: new Proxy(
      {},
      {
        get: () => {
          throw new Error('get trap');
        },
        ownKeys: () => {
          throw new Error('ownKeys trap');
        },
      },
    ),
    reason: REJECT_REASON_UNREADABLE,
  }),
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({ DataimportCode: 'x', Package: 'p' }, {});
    revoke();
    return { table: IMPORT, row: proxy, reason: REJECT_REASON_UNREADABLE };
  },
  'a Symbol table name': () => ({
    table: Symbol('def_dataimport_metric'),
    row: { DataimportCode: 'poison', Package: 'p' },
    reason: REJECT_REASON_UNKNOWN_TABLE,
  }),
  'a table object whose toString throws': () => ({
    table: {
      toString(): string {
        throw new Error('toString exploded');
      },
    },
    row: { DataimportCode: 'poison', Package: 'p' },
    reason: REJECT_REASON_UNKNOWN_TABLE,
  }),
  'a value whose valueOf and toString throw': () => ({
    table: IMPORT,
    row: {
      DataimportCode: 'poison',
      Package: 'p',
      ItemsProcessed: {
        valueOf(): number {
          throw new Error('valueOf exploded');
        },
        toString(): string {
          throw new Error('toString exploded');
        },
      },
    },
    reason: REJECT_REASON_WRONG_TYPE,
  }),
  'a null row': () => ({ table: IMPORT, row: null, reason: REJECT_REASON_WRONG_TYPE }),
};

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `def_metric writer on ${dialectName}: one poison row among ${2 * GOOD_EACH_SIDE} good ones`,
    () => {
      const suite = useWriterSuite(dialectName, registry, { flushIntervalMs: 50 });

      for (const [kind, make] of Object.entries(POISONS)) {
        it(`writes all ${2 * GOOD_EACH_SIDE} good rows and rejects ${kind} alone, counted`, async () => {
          const writer = suite.open();
          await writer.ready();
          const code = `good-${kind.replaceAll(' ', '-')}`;
          const good = (i: number) => ({ DataimportCode: code, Package: 'p', ItemsProcessed: i });
          for (let i = 0; i < GOOD_EACH_SIDE; i += 1) writer.enqueue(IMPORT, good(i));
          const poison = make();
          expect(() => writer.enqueue(poison.table as string, poison.row as never)).not.toThrow();
          for (let i = GOOD_EACH_SIDE; i < 2 * GOOD_EACH_SIDE; i += 1)
            writer.enqueue(IMPORT, good(i));
          await writer.flush();
          expect(await suite.count(IMPORT, code)).toBe(2 * GOOD_EACH_SIDE);
          expect(writer.stats()).toMatchObject({
            waiting: 0,
            written: 2 * GOOD_EACH_SIDE,
            rejected: 1,
            dropped: 0,
          });
          expect(
            await suite.meter.sum(METRIC_ROWS_REJECTED, { [ATTR_REASON]: poison.reason }),
          ).toBe(1);
          expect(await suite.meter.sum(METRIC_ROWS_DROPPED)).toBe(0);
        });
      }
    },
  );
}
