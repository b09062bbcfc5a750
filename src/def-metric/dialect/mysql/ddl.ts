import type { ColumnModel, IndexModel, TableModel } from '../../schema/table-model.js';
import { COLLATION_PLACEHOLDER } from '../../schema/table-model.js';
import { columnClauseParts } from '../column-clause.js';
import { assertCollationName } from './collation.js';
import { mysqlStringLiteral, quoteMysqlIdentifier as q } from './identifiers.js';

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
    table.comment === undefined ? '' : `\nCOMMENT=${mysqlStringLiteral(table.comment)}`;
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
  const parts = columnClauseParts(
    q(column.name),
    mysqlColumnType(column),
    column,
    mysqlStringLiteral,
  );
  if (column.comment !== undefined) parts.push(`COMMENT ${mysqlStringLiteral(column.comment)}`);
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
