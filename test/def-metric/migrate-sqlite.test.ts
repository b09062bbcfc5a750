import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchemaRegistry, migrate, sqliteIndexName } from '../../src/def-metric/index.js';
import { SEED_TABLES } from './fixtures/seed-tables.js';
import { type DialectFixture, openFixture } from './helpers/dialects.js';

/** The SQLite declared type opmeter uses for each MySQL type of the guide. */
function sqliteType(mysqlType: string): string {
  if (/^int\b/.test(mysqlType)) return 'INTEGER';
  if (mysqlType === 'text') return 'TEXT';
  return mysqlType.toUpperCase();
}

describe('migrate on SQLite: a faithful translation of the guide', () => {
  let fixture: DialectFixture;
  let db: DatabaseSync;

  beforeAll(async () => {
    fixture = await openFixture('sqlite');
    const dialect = fixture.dialect();
    await migrate(dialect, loadSchemaRegistry().tables());
    await migrate(dialect, loadSchemaRegistry().tables());
    await dialect.close();
    db = new DatabaseSync(fixture.url.slice('sqlite:'.length));
  });

  afterAll(async () => {
    db?.close();
    await fixture?.cleanup();
  });

  for (const expected of SEED_TABLES) {
    it(`${expected.name}: columns, types, nullability, defaults, primary key`, () => {
      const info = db.prepare(`PRAGMA table_info("${expected.name}")`).all() as Array<
        Record<string, unknown>
      >;
      expect(
        info.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.notnull === 0,
          default:
            c.dflt_value === null || c.dflt_value === 'NULL'
              ? null
              : String(c.dflt_value).replace(/^'(.*)'$/, '$1'),
        })),
      ).toEqual(
        expected.columns.map((c) => ({
          name: c.name,
          type: sqliteType(c.type),
          nullable: c.nullable,
          default: c.default,
        })),
      );
      const pk = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
      expect(pk.map((c) => c.name)).toEqual(expected.primaryKey);
    });

    it(`${expected.name}: one CREATE INDEX per key (prefix lengths index the whole column)`, () => {
      const list = db.prepare(`PRAGMA index_list("${expected.name}")`).all() as Array<
        Record<string, unknown>
      >;
      const named = list.filter((i) => i.origin === 'c');
      const indexes = Object.fromEntries(
        named.map((i) => [
          i.name,
          (
            db.prepare(`PRAGMA index_info("${String(i.name)}")`).all() as Array<
              Record<string, unknown>
            >
          ).map((c) => c.name),
        ]),
      );
      expect(indexes).toEqual(
        Object.fromEntries(
          Object.entries(expected.indexes).map(([name, columns]) => [
            sqliteIndexName(expected.name, name),
            columns.map((c) => c.replace(/\(\d+\)$/, '')),
          ]),
        ),
      );
    });
  }

  it('keeps the column comments in the stored CREATE TABLE text', () => {
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'def_dataimport_metric'")
      .get() as { sql: string };
    expect(row.sql).toContain('-- Y/N - Whether operation succeeded');
    expect(row.sql).toContain('-- Performance metrics for dataimport operations');
  });
});
