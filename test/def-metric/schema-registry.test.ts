import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchemaRegistry, parseCreateTable } from '../../src/def-metric/index.js';
import { SEED_TABLES } from './fixtures/seed-tables.js';

function yamlDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opmeter-yaml-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('schema registry', () => {
  it('loads every shipped table with the seed columns, keys and prefix lengths', () => {
    const registry = loadSchemaRegistry();
    expect(registry.tables().map((t) => t.name)).toEqual(SEED_TABLES.map((t) => t.name).sort());
    for (const expected of SEED_TABLES) {
      const table = registry.require(expected.name);
      expect(table.columns.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
      expect(table.primaryKey).toEqual(expected.primaryKey);
      const indexes = Object.fromEntries(
        table.indexes.map((i) => [
          i.name,
          i.columns.map((c) => (c.prefixLength ? `${c.name}(${c.prefixLength})` : c.name)),
        ]),
      );
      expect(indexes).toEqual(expected.indexes);
      expect(table.engine).toBe('InnoDB');
      expect(table.charset).toBe('utf8mb4');
      expect(table.collation).toBe('{collation}');
    }
  });

  it('parses types, lengths, precision, nullability, defaults and comments', () => {
    const table = loadSchemaRegistry().require('def_dataimport_metric');
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    expect(byName.DataimportCode).toMatchObject({ type: 'varchar', length: 255, nullable: false });
    expect(byName.AxionImportTime?.default).toEqual({ kind: 'current_timestamp' });
    expect(byName.ElapsedSeconds).toMatchObject({ type: 'decimal', precision: 10, scale: 3 });
    expect(byName.ItemsProcessed).toMatchObject({
      type: 'int',
      length: 11,
      default: { kind: 'literal', value: 0 },
    });
    expect(byName.OperationSuccess).toMatchObject({
      type: 'char',
      length: 1,
      default: { kind: 'literal', value: 'N' },
      comment: 'Y/N - Whether operation succeeded',
    });
    expect(byName.ErrorMessage).toMatchObject({
      type: 'text',
      nullable: true,
      default: { kind: 'null' },
    });
    expect(table.comment).toBe('Performance metrics for dataimport operations');
  });

  it('declares a new module table from the template in YAML alone, and takes full DDL too', () => {
    const dir = yamlDir({
      'payments.yaml': [
        'database:',
        '  schema:',
        '    def_payments_metric:',
        '      template: module_metric',
        '      module: payments',
        '      codeColumn: PaymentCode',
      ].join('\n'),
      'custom.yml': [
        'database:',
        '  schema:',
        '    def_custom_metric: |',
        '      CREATE TABLE `def_custom_metric` (',
        '        `CustomCode` varchar(64) NOT NULL,',
        "        `Flag` char(1) DEFAULT 'Y',",
        '        PRIMARY KEY (`CustomCode`)',
        '      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collation};',
      ].join('\n'),
    });
    const registry = loadSchemaRegistry({ paths: [dir] });
    expect(registry.require('def_payments_metric').primaryKey[0]).toBe('PaymentCode');
    expect(registry.require('def_custom_metric').columns.map((c) => c.name)).toEqual([
      'CustomCode',
      'Flag',
    ]);
    expect(registry.get('def_workflow_metric')).toBeDefined();
  });

  it('defaults the code column to the capitalised module name + Code', () => {
    const dir = yamlDir({
      'x.yaml':
        'database:\n  schema:\n    def_billing_metric: { template: module_metric, module: billing }\n',
    });
    expect(loadSchemaRegistry({ paths: [dir] }).require('def_billing_metric').primaryKey[0]).toBe(
      'BillingCode',
    );
  });

  it.each([
    [
      'unknown template',
      'database:\n  schema:\n    def_a_metric: { template: nope, module: a }\n',
      /unknown template 'nope'/,
    ],
    [
      'name mismatch',
      'database:\n  schema:\n    def_b_metric: { template: module_metric, module: a }\n',
      /creates `def_a_metric`/,
    ],
    [
      'bad module',
      'database:\n  schema:\n    def_c_metric: { template: module_metric, module: C! }\n',
      /'module' must be/,
    ],
    ['invalid YAML', 'database: [\n', /invalid YAML/],
  ])('refuses a bad declaration: %s', (_label, text, message) => {
    const dir = yamlDir({ 'bad.yaml': text });
    expect(() => loadSchemaRegistry({ paths: [dir] })).toThrow(message);
  });

  it('names the known tables when a table is unknown', () => {
    expect(() => loadSchemaRegistry().require('def_nope_metric')).toThrow(
      /unknown table 'def_nope_metric'.*def_api_metric/,
    );
  });

  it.each([
    ['unsupported type', 'CREATE TABLE `t` (`a` json)', /unsupported type 'json'/],
    ['unknown key column', 'CREATE TABLE `t` (`a` int, PRIMARY KEY (`b`))', /unknown column `b`/],
    ['two statements', 'CREATE TABLE `t` (`a` int); DROP TABLE x', /exactly one CREATE TABLE/],
    ['latin1', 'CREATE TABLE `t` (`a` int) DEFAULT CHARSET=latin1', /use utf8mb4/],
  ])('the DDL parser refuses %s with a line number', (_label, sql, message) => {
    expect(() => parseCreateTable(sql)).toThrow(message);
  });

  it('keeps quotes and backslashes of comments', () => {
    const table = parseCreateTable("CREATE TABLE `t` (`a` int COMMENT 'it''s a \\\\ b')");
    expect(table.columns[0]?.comment).toBe("it's a \\ b");
  });
});
