import { assertCollationName } from './collation-name.js';
import { quoteMysqlIdentifier as q, sqlStringLiteral } from './identifiers.js';
import type { ColumnModel, IndexModel, TableModel } from './table-model.js';
import { COLLATION_PLACEHOLDER } from './table-model.js';

/**
 * Renders a table as MySQL/MariaDB `CREATE TABLE IF NOT EXISTS`, with `{collation}` replaced by
 * `collation` (pass `'{collation}'` to keep the placeholder, as in the YAML files).
 */
export function renderMysqlDdl(table: TableModel, collation: string): string {
  if (collation !== COLLATION_PLACEHOLDER) assertCollationName(collation);
  const tableCollation = table.collation === COLLATION_PLACEHOLDER ? collation : table.collation;
  const lines = [
    ...table.columns.map(renderColumn),
    ...(table.primaryKey.length > 0 ? [`PRIMARY KEY (${table.primaryKey.map(q).join(', ')})`] : []),
    ...table.indexes.map(renderIndex),
  ];
  const comment =
    table.comment === undefined ? '' : `\nCOMMENT=${sqlStringLiteral(table.comment, true)}`;
  return (
    `CREATE TABLE IF NOT EXISTS ${q(table.name)} (\n  ${lines.join(',\n  ')}\n)` +
    ` ENGINE=${table.engine} DEFAULT CHARSET=${table.charset} COLLATE=${tableCollation}${comment}`
  );
}

/** Renders a column's MySQL type, e.g. `varchar(255)`, `decimal(10,3)`, `int(11)`. */
export function mysqlColumnType(column: ColumnModel): string {
  const size =
    column.precision !== undefined
      ? `(${column.precision},${column.scale ?? 0})`
      : column.length !== undefined
        ? `(${column.length})`
        : '';
  return `${column.type}${size}${column.unsigned ? ' unsigned' : ''}`;
}

function renderColumn(column: ColumnModel): string {
  const parts = [q(column.name), mysqlColumnType(column)];
  if (!column.nullable) parts.push('NOT NULL');
  const value = column.default;
  if (value.kind === 'null') parts.push('DEFAULT NULL');
  if (value.kind === 'current_timestamp') parts.push('DEFAULT CURRENT_TIMESTAMP');
  if (value.kind === 'literal') {
    parts.push(
      `DEFAULT ${typeof value.value === 'number' ? String(value.value) : sqlStringLiteral(value.value, true)}`,
    );
  }
  if (column.comment !== undefined) parts.push(`COMMENT ${sqlStringLiteral(column.comment, true)}`);
  return parts.join(' ');
}

function renderIndex(index: IndexModel): string {
  const columns = index.columns.map((column) =>
    column.prefixLength === undefined
      ? q(column.name)
      : `${q(column.name)}(${column.prefixLength})`,
  );
  return `${index.unique ? 'UNIQUE KEY' : 'KEY'} ${q(index.name)} (${columns.join(', ')})`;
}
