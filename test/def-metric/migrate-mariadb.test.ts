import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDialect, loadSchemaRegistry, migrate } from '../../src/def-metric/index.js';
import { SEED_TABLES } from './fixtures/seed-tables.js';
import { createTestDatabase, mariadbAvailable, type TestDatabase } from './helpers/mariadb.js';

const MARIADB_UP = await mariadbAvailable('def_metric MariaDB migration suite');

/** MariaDB and MySQL spell defaults differently: `'N'` vs `N`, `current_timestamp()` vs `CURRENT_TIMESTAMP`, `NULL` vs null. */
function normaliseDefault(raw: string | null): string | null {
  if (raw === null || raw === 'NULL') return null;
  if (/^current_timestamp(\(\))?$/i.test(raw)) return 'CURRENT_TIMESTAMP';
  return raw.replace(/^'(.*)'$/, '$1');
}

/** MySQL 8 drops integer display widths (`int`); MariaDB keeps them (`int(11)`). */
function normaliseType(raw: string): string {
  return raw === 'int' ? 'int(11)' : raw;
}

describe.skipIf(!MARIADB_UP)('migrate on MariaDB: tables match the guide', () => {
  let database: TestDatabase;
  const registry = loadSchemaRegistry();
  let collation: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dialect = createDialect(database.url());
    try {
      collation = await migrate(dialect, registry.tables());
      await migrate(dialect, registry.tables());
    } finally {
      await dialect.close();
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function rows(sql: string, params: unknown[]): Promise<RowDataPacket[]> {
    const [result] = await database.admin.query<RowDataPacket[]>(sql, params);
    return result;
  }

  it('uses the server default utf8mb4 collation when none is configured', async () => {
    const [server] = await rows('SELECT @@collation_server AS c, @@character_set_server AS s', []);
    if (server?.s === 'utf8mb4') expect(collation).toBe(server.c);
    expect(collation).toMatch(/^utf8mb4_/);
  });

  for (const expected of SEED_TABLES) {
    describe(expected.name, () => {
      it('has every column with the seed type, nullability, default and comment', async () => {
        const columns = await rows(
          'SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
          [database.name, expected.name],
        );
        expect(
          columns.map((c) => ({
            name: c.COLUMN_NAME,
            type: normaliseType(c.COLUMN_TYPE),
            nullable: c.IS_NULLABLE === 'YES',
            default: normaliseDefault(c.COLUMN_DEFAULT),
            comment: c.COLUMN_COMMENT,
          })),
        ).toEqual(expected.columns);
      });

      it('has the seed primary key and secondary keys with prefix lengths', async () => {
        const stats = await rows(
          'SELECT INDEX_NAME, COLUMN_NAME, SUB_PART, NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX',
          [database.name, expected.name],
        );
        const indexes: Record<string, string[]> = {};
        for (const s of stats) {
          indexes[s.INDEX_NAME] ??= [];
          indexes[s.INDEX_NAME]?.push(
            s.SUB_PART ? `${s.COLUMN_NAME}(${s.SUB_PART})` : s.COLUMN_NAME,
          );
        }
        const { PRIMARY: primary, ...secondary } = indexes;
        expect(primary).toEqual(expected.primaryKey);
        expect(secondary).toEqual(expected.indexes);
      });

      it('is InnoDB, utf8mb4, with the resolved collation and the seed comment', async () => {
        const [table] = await rows(
          'SELECT ENGINE, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          [database.name, expected.name],
        );
        expect(table).toMatchObject({
          ENGINE: 'InnoDB',
          TABLE_COLLATION: collation,
          TABLE_COMMENT: expected.comment,
        });
      });
    });
  }

  it('honours a configured collation and refuses an unknown one clearly', async () => {
    const other = await createTestDatabase();
    const dialect = createDialect(other.url());
    try {
      const table = registry.require('def_notify_metric');
      await migrate(dialect, [table], { collation: 'utf8mb4_unicode_ci' });
      const [result] = await other.admin.query<RowDataPacket[]>(
        'SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [other.name, table.name],
      );
      expect(result[0]?.TABLE_COLLATION).toBe('utf8mb4_unicode_ci');
      await expect(migrate(dialect, [table], { collation: 'utf8mb4_klingon_ci' })).rejects.toThrow(
        /unknown collation 'utf8mb4_klingon_ci'.*SHOW COLLATION/,
      );
      await expect(migrate(dialect, [table], { collation: 'latin1_swedish_ci' })).rejects.toThrow(
        /invalid collation 'latin1_swedish_ci'/,
      );
    } finally {
      await dialect.close();
      await other.drop();
    }
  });
});
