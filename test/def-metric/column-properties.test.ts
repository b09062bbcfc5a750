import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileRowNormaliser,
  FIX_REASON_TRUNCATED,
  loadSchemaRegistry,
  parseCreateTable,
  REJECT_REASON_MISSING_REQUIRED,
  REJECT_REASON_TOO_LONG,
} from '../../src/def-metric/index.js';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function registryWith(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'opmeter-columns-'));
  writeFileSync(join(dir, 'tables.yaml'), yaml);
  return loadSchemaRegistry({ paths: [dir] });
}

/** A table whose columns are named nothing like the guide's, with the same declared behaviour. */
const RENAMED = `
database:
  schema:
    def_export_metric:
      ddl: |
        CREATE TABLE \`def_export_metric\` (
          \`ExportCode\` varchar(255) NOT NULL,
          \`RunId\` varchar(36) NOT NULL,
          \`Rows\` int(11) DEFAULT 0,
          \`Seconds\` decimal(10,3) DEFAULT NULL,
          \`RowsPerSecond\` decimal(12,2) DEFAULT NULL,
          \`Failure\` text DEFAULT NULL,
          \`Note\` varchar(20) DEFAULT NULL,
          PRIMARY KEY (\`ExportCode\`, \`RunId\`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collation};
      columns:
        RunId: { generated: uuid }
        RowsPerSecond: { generated: { ratio: [Rows, Seconds] } }
        Failure: { overflow: truncate, maxLength: 10, marker: ' [cut]' }
        Note: { overflow: reject }
`;

describe('YAML column properties', () => {
  it('the shipped schemas declare the guide’s GUID, rate and message rules on their columns', () => {
    const registry = loadSchemaRegistry();
    for (const table of registry.tables()) {
      const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
      expect(byName.AxionImportGuid?.generated, table.name).toEqual({ kind: 'uuid' });
      expect(byName.ErrorMessage?.overflow, table.name).toEqual({
        action: 'truncate',
        maxLength: 5000,
        marker: '... (truncated)',
      });
      if (byName.ItemsPerSecond) {
        expect(byName.ItemsPerSecond.generated, table.name).toEqual({
          kind: 'ratio',
          dividend: 'ItemsProcessed',
          divisor: 'ElapsedSeconds',
        });
      }
    }
  });

  it('drive the normaliser whatever the columns are called', () => {
    const table = registryWith(RENAMED).require('def_export_metric');
    const normalise = compileRowNormaliser(table);
    const result = normalise(
      { ExportCode: 'x', Rows: 50, Seconds: 4, Failure: 'f'.repeat(12) },
      AT,
    );
    if (!result.ok) throw new Error(result.reason);
    const values = Object.fromEntries(table.columns.map((c, i) => [c.name, result.values[i]]));
    expect(values.RunId).toMatch(UUID);
    expect(values.RowsPerSecond).toBe(12.5);
    expect(values.Failure).toBe(`${'f'.repeat(10)} [cut]`);
    expect(result.fixes).toEqual([FIX_REASON_TRUNCATED]);
    expect(normalise({ ExportCode: 'x', Note: 'n'.repeat(21) }, AT)).toEqual({
      ok: false,
      reason: REJECT_REASON_TOO_LONG,
      column: 'Note',
    });
  });

  it('without declarations the normaliser knows no column by name (the guide’s names included)', () => {
    const table = parseCreateTable(
      'CREATE TABLE `t` (`Code` varchar(9) NOT NULL, `AxionImportGuid` varchar(36) NOT NULL, ' +
        '`ItemsProcessed` int, `ElapsedSeconds` decimal(10,3), `ItemsPerSecond` decimal(12,2), ' +
        '`ErrorMessage` text, PRIMARY KEY (`Code`))',
    );
    const normalise = compileRowNormaliser(table);
    expect(normalise({ Code: 'c' }, AT)).toEqual({
      ok: false,
      reason: REJECT_REASON_MISSING_REQUIRED,
      column: 'AxionImportGuid',
    });
    const result = normalise(
      {
        Code: 'c',
        AxionImportGuid: 'g',
        ItemsProcessed: 10,
        ElapsedSeconds: 2,
        ErrorMessage: 'e'.repeat(6000),
      },
      AT,
    );
    expect(result).toMatchObject({ ok: true, fixes: [] });
    if (result.ok) expect(result.values).toEqual(['c', 'g', 10, 2, null, 'e'.repeat(6000)]);
  });

  it('a template’s properties reach every table made from it, and a declaration can add its own', () => {
    const registry = registryWith(`
database:
  schema:
    def_payments_metric:
      template: module_metric
      module: payments
      codeColumn: PaymentCode
      columns:
        TargetEntity: { overflow: reject }
`);
    const table = registry.require('def_payments_metric');
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    expect(byName.AxionImportGuid?.generated).toEqual({ kind: 'uuid' });
    expect(byName.TargetEntity?.overflow).toEqual({ action: 'reject' });
    expect(byName.ErrorMessage?.overflow?.maxLength).toBe(5000);
  });

  it('alias: a row may give a column’s value under another key; the column’s own name wins', () => {
    const table = registryWith(`
database:
  schema:
    def_y_metric:
      ddl: 'CREATE TABLE \`def_y_metric\` (\`YCode\` varchar(9) NOT NULL, PRIMARY KEY (\`YCode\`))'
      columns:
        YCode: { alias: ModuleCode }
`).require('def_y_metric');
    const normalise = compileRowNormaliser(table);
    expect(normalise({ ModuleCode: 'm' }, AT)).toEqual({ ok: true, values: ['m'], fixes: [] });
    expect(normalise({ YCode: 'y', ModuleCode: 'm' }, AT)).toEqual({
      ok: true,
      values: ['y'],
      fixes: [],
    });
    expect(loadSchemaRegistry().require('def_batch_metric').columns[0]).toMatchObject({
      name: 'BatchCode',
      alias: 'ModuleCode',
    });
  });

  it.each([
    [
      'an alias naming another column',
      'Code: { alias: Rows }',
      /alias Rows is the name of another column/,
    ],
    [
      'two columns with one alias',
      'Code: { alias: K }\n        Rows: { alias: K }',
      /both have alias K/,
    ],
    [
      'an unknown column',
      'Nope: { generated: uuid }',
      /columns\.Nope is not a column of def_x_metric/,
    ],
    ['an unknown property', 'Code: { length: 3 }', /unknown property 'length'/],
    ['a uuid in a number column', 'Rows: { generated: uuid }', /needs a text column/],
    [
      'a ratio of a text column',
      'Rows: { generated: { ratio: [Code, Rows] } }',
      /not a number column/,
    ],
    ['a bad overflow', 'Code: { overflow: wrap }', /truncate or reject/],
    ['a marker without maxLength', "Code: { marker: '…' }", /needs maxLength/],
    ['a non-mapping', 'Code: uuid', /must be a mapping/],
  ])('refuses %s, naming the table and column', (_label, line, message) => {
    const yaml = [
      'database:',
      '  schema:',
      '    def_x_metric:',
      "      ddl: 'CREATE TABLE `def_x_metric` (`Code` varchar(9) NOT NULL, `Rows` int, PRIMARY KEY (`Code`))'",
      '      columns:',
      `        ${line}`,
    ].join('\n');
    expect(() => registryWith(yaml)).toThrow(message);
  });
});
