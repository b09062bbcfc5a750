import type { ColumnModel, SchemaRegistry, TableModel } from '../../src/def-metric/index.js';

/** The row type of each domain table, by table name, in the order they are generated. */
export const ROW_TYPES: Readonly<Record<string, string>> = {
  def_workflow_metric: 'WorkflowMetricRow',
  def_api_metric: 'ApiMetricRow',
  def_notify_metric: 'NotifyMetricRow',
  def_batch_metric: 'BatchMetricRow',
};

/** The module table the generic module row type is generated from (its code column left out). */
export const MODULE_REFERENCE_TABLE = 'def_dataimport_metric';

/** Columns the row sink fills itself (never part of a domain's row). */
const SINK_FILLED = new Set(['AxionImportGuid', 'AxionImportTime']);

/**
 * The TypeScript source of src/core/def-metric-rows.ts, generated from the YAML schemas: one row
 * type per domain table, and the module row without its `<ModuleCode>` column.
 */
export function generateRowTypes(registry: SchemaRegistry): string {
  const parts = [HEADER];
  for (const [table, type] of Object.entries(ROW_TYPES)) {
    parts.push(rowType(registry.require(table), type, new Set()));
  }
  const module = registry.require(MODULE_REFERENCE_TABLE);
  const codeColumn = module.primaryKey[0] ?? '';
  parts.push(
    rowType(module, 'ModuleMetricRow', new Set([codeColumn]), 'the `<ModuleCode>` column left out'),
  );
  return `${parts.join('\n')}`;
}

const HEADER = `// Generated from schemas/*.yaml by test/support/row-types.ts; do not edit.
// Regenerate with \`npx vitest run test/core/row-types.test.ts -u\` after changing a schema.
`;

function rowType(table: TableModel, type: string, skip: Set<string>, note?: string): string {
  const lines = table.columns
    .filter((column) => !SINK_FILLED.has(column.name) && !skip.has(column.name))
    .map((column) => `  readonly ${column.name}${optional(column) ? '?' : ''}: ${tsType(column)};`);
  const about = note === undefined ? '' : ` (${note})`;
  return `/** A \`${table.name}\` row as a domain builds it${about}. */\nexport interface ${type} {\n${lines.join('\n')}\n}\n`;
}

function optional(column: ColumnModel): boolean {
  return column.nullable || column.default.kind !== 'none';
}

function tsType(column: ColumnModel): string {
  const base = baseType(column);
  return column.nullable ? `${base} | null` : base;
}

function baseType(column: ColumnModel): string {
  switch (column.type) {
    case 'char':
      return column.length === 1 ? 'boolean' : 'string';
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return 'string';
    case 'date':
    case 'datetime':
    case 'timestamp':
      return 'Date';
    default:
      return 'number';
  }
}
