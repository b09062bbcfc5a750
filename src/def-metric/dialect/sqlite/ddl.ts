import type { ColumnModel, ColumnType, TableModel } from '../../schema/table-model.js';
import { columnClauseParts } from '../column-clause.js';
import { quoteSqliteIdentifier as q, sqliteStringLiteral } from './identifiers.js';

const SQLITE_TYPES: Readonly<Record<ColumnType, (column: ColumnModel) => string>> = {
  tinyint: () => 'INTEGER',
  smallint: () => 'INTEGER',
  mediumint: () => 'INTEGER',
  int: () => 'INTEGER',
  bigint: () => 'INTEGER',
  decimal: (c) => `DECIMAL(${c.precision ?? 10},${c.scale ?? 0})`,
  float: () => 'REAL',
  double: () => 'REAL',
  char: (c) => `CHAR(${c.length ?? 1})`,
  varchar: (c) => `VARCHAR(${c.length ?? 255})`,
  tinytext: () => 'TEXT',
  text: () => 'TEXT',
  mediumtext: () => 'TEXT',
  longtext: () => 'TEXT',
  date: () => 'DATE',
  datetime: () => 'DATETIME',
  timestamp: () => 'DATETIME',
};

/**
 * Translates a table to SQLite: `CREATE TABLE IF NOT EXISTS` (column comments kept as SQL
 * comments, which SQLite stores in `sqlite_master`) followed by one `CREATE INDEX` per key.
 * SQLite has no index prefix lengths, so `Endpoint`(255) indexes the whole column, and index
 * names are global, so each is prefixed with its table name.
 */
export function renderSqliteDdl(table: TableModel): string[] {
  const definitions = table.columns.map((column) => ({
    sql: renderColumn(column),
    comment: column.comment,
  }));
  if (table.primaryKey.length > 0) {
    definitions.push({
      sql: `PRIMARY KEY (${table.primaryKey.map(q).join(', ')})`,
      comment: undefined,
    });
  }
  const body = definitions
    .map(({ sql, comment }, i) => {
      const separator = i < definitions.length - 1 ? ',' : '';
      return `  ${sql}${separator}${comment === undefined ? '' : ` -- ${oneLine(comment)}`}`;
    })
    .join('\n');
  const tableComment = table.comment === undefined ? '' : ` -- ${oneLine(table.comment)}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${q(table.name)} (${tableComment}\n${body}\n)`,
    ...table.indexes.map(
      (index) =>
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${q(sqliteIndexName(table.name, index.name))}` +
        ` ON ${q(table.name)} (${index.columns.map((column) => q(column.name)).join(', ')})`,
    ),
  ];
}

/** The SQLite name of a table's index: `<table>_<index>` (SQLite index names are global). */
export function sqliteIndexName(table: string, index: string): string {
  return `${table}_${index}`;
}

function renderColumn(column: ColumnModel): string {
  const type = SQLITE_TYPES[column.type](column);
  return columnClauseParts(q(column.name), type, column, sqliteStringLiteral).join(' ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
