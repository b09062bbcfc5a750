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
    const model = registry.require(table);
    parts.push(rowType(model, type, new Set()), lengths(model, type, new Set()));
  }
  const module = registry.require(MODULE_REFERENCE_TABLE);
  const codeColumn = module.primaryKey[0] ?? '';
  const skip = new Set([codeColumn]);
  parts.push(
    rowType(module, 'ModuleMetricRow', skip, 'the `<ModuleCode>` column left out'),
    lengths(module, 'ModuleMetricRow', skip),
    moduleCodeLength(module, codeColumn),
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

/** The declared character lengths of a table's text columns, as the constant `<TYPE>_LENGTHS`. */
function lengths(table: TableModel, type: string, skip: Set<string>): string {
  const lines = table.columns
    .filter((column) => !SINK_FILLED.has(column.name) && !skip.has(column.name))
    .filter((column) => baseType(column) === 'string' && column.length !== undefined)
    .map((column) => `  ${column.name}: ${column.length},`);
  const name = constantOf(type);
  return (
    `/** Declared lengths (characters) of the \`${table.name}\` text columns: values are cut to them. */\n` +
    `export const ${name} = {\n${lines.join('\n')}\n} as const satisfies { readonly [C in keyof ${type}]?: number };\n`
  );
}

/** The declared length of the `<ModuleCode>` column of every module table. */
function moduleCodeLength(table: TableModel, codeColumn: string): string {
  const length = table.columns.find((column) => column.name === codeColumn)?.length;
  return `/** Declared length (characters) of the \`<ModuleCode>\` column of a module table. */\nexport const MODULE_CODE_LENGTH = ${length};\n`;
}

/** `WorkflowMetricRow` → `WORKFLOW_METRIC_LENGTHS`. */
function constantOf(type: string): string {
  const words = type.replace(/Row$/, '').replace(/([a-z])([A-Z])/g, '$1_$2');
  return `${words.toUpperCase()}_LENGTHS`;
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
