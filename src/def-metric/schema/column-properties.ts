import { OpmeterConfigError } from '../../core/config-error.js';
import type {
  ColumnModel,
  ColumnType,
  GeneratedValue,
  OverflowPolicy,
  TableModel,
} from './table-model.js';

/** The YAML `columns:` of one table or template: column name → its declared properties, unchecked. */
export type DeclaredColumns = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** The properties a column may declare in YAML. */
const PROPERTY_NAMES = ['generated', 'overflow', 'maxLength', 'marker', 'alias'] as const;
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const TEXT_TYPES: ReadonlySet<ColumnType> = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
]);
const NUMBER_TYPES: ReadonlySet<ColumnType> = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
  'decimal',
  'float',
  'double',
]);

/** Reads a YAML `columns:` mapping (absent: none); every value must be a mapping of properties. */
export function readDeclaredColumns(value: unknown, context: string): DeclaredColumns {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new OpmeterConfigError(`${context}: 'columns' must map column names to their properties`);
  }
  const columns = new Map<string, Record<string, unknown>>();
  for (const [name, properties] of Object.entries(value)) {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new OpmeterConfigError(
        `${context}: columns.${name} must be a mapping such as { generated: uuid } or { overflow: truncate, maxLength: 5000 }`,
      );
    }
    columns.set(name, properties as Record<string, unknown>);
  }
  return columns;
}

/** `base` with `over` laid on top, property by property (a table's columns over its template's). */
export function mergeDeclaredColumns(
  base: DeclaredColumns,
  over: DeclaredColumns,
): DeclaredColumns {
  const merged = new Map(base);
  for (const [name, properties] of over) merged.set(name, { ...merged.get(name), ...properties });
  return merged;
}

/** Renames the column keys of `columns` (a template's `<ModuleCode>` becomes the declared column). */
export function renameDeclaredColumns(
  columns: DeclaredColumns,
  rename: (name: string) => string,
): DeclaredColumns {
  return new Map([...columns].map(([name, properties]) => [rename(name), properties]));
}

/**
 * Checks the declared properties against the parsed table and returns the table with them on its
 * columns; an unknown column, property or value throws an error naming the table and the column.
 */
export function applyDeclaredColumns(
  table: TableModel,
  declared: DeclaredColumns,
  context: string,
): TableModel {
  if (declared.size === 0) return table;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  for (const name of declared.keys()) {
    if (!byName.has(name)) {
      throw new OpmeterConfigError(
        `${context}: columns.${name} is not a column of ${table.name} (columns: ${[...byName.keys()].join(', ')})`,
      );
    }
  }
  const primaryKey = new Set(table.primaryKey);
  const columns = table.columns.map((column) => {
    const properties = declared.get(column.name);
    if (properties === undefined) return column;
    const where = `${context}: columns.${column.name}`;
    for (const key of Object.keys(properties)) {
      if (!(PROPERTY_NAMES as readonly string[]).includes(key)) {
        throw new OpmeterConfigError(
          `${where}: unknown property '${key}' (supported: ${PROPERTY_NAMES.join(', ')})`,
        );
      }
    }
    const generated = generatedValue(column, properties.generated, byName, where);
    const overflow = overflowPolicy(column, properties, primaryKey.has(column.name), where);
    const alias = aliasOf(column, properties.alias, byName, where);
    return {
      ...column,
      ...(generated === undefined ? {} : { generated }),
      ...(overflow === undefined ? {} : { overflow }),
      ...(alias === undefined ? {} : { alias }),
    } satisfies ColumnModel;
  });
  const aliases = new Map<string, string>();
  for (const column of columns) {
    if (column.alias === undefined) continue;
    const other = aliases.get(column.alias);
    if (other !== undefined) {
      throw new OpmeterConfigError(
        `${context}: columns.${other} and columns.${column.name} both have alias ${column.alias}`,
      );
    }
    aliases.set(column.alias, column.name);
  }
  return { ...table, columns };
}

function aliasOf(
  column: ColumnModel,
  value: unknown,
  columns: ReadonlyMap<string, ColumnModel>,
  where: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw new OpmeterConfigError(
      `${where}: alias must be a name such as ModuleCode, got ${JSON.stringify(value)}`,
    );
  }
  if (value !== column.name && columns.has(value)) {
    throw new OpmeterConfigError(`${where}: alias ${value} is the name of another column`);
  }
  return value;
}

function generatedValue(
  column: ColumnModel,
  value: unknown,
  columns: ReadonlyMap<string, ColumnModel>,
  where: string,
): GeneratedValue | undefined {
  if (value === undefined) return undefined;
  if (value === 'uuid') {
    if (!TEXT_TYPES.has(column.type)) {
      throw new OpmeterConfigError(
        `${where}: generated: uuid needs a text column, not ${column.type}`,
      );
    }
    return { kind: 'uuid' };
  }
  const ratio = (value as { ratio?: unknown } | null)?.ratio;
  if (
    Array.isArray(ratio) &&
    ratio.length === 2 &&
    ratio.every((name) => typeof name === 'string')
  ) {
    const [dividend, divisor] = ratio as [string, string];
    for (const name of [dividend, divisor]) {
      const source = columns.get(name);
      if (!source || !NUMBER_TYPES.has(source.type)) {
        throw new OpmeterConfigError(
          `${where}: generated ratio names ${name}, which is not a number column`,
        );
      }
    }
    if (!NUMBER_TYPES.has(column.type)) {
      throw new OpmeterConfigError(
        `${where}: generated ratio needs a number column, not ${column.type}`,
      );
    }
    return { kind: 'ratio', dividend, divisor };
  }
  throw new OpmeterConfigError(
    `${where}: generated must be uuid or { ratio: [DividendColumn, DivisorColumn] }, got ${JSON.stringify(value)}`,
  );
}

function overflowPolicy(
  column: ColumnModel,
  properties: Readonly<Record<string, unknown>>,
  inPrimaryKey: boolean,
  where: string,
): OverflowPolicy | undefined {
  const { overflow, maxLength, marker } = properties;
  if (overflow === undefined && maxLength === undefined && marker === undefined) return undefined;
  if (!TEXT_TYPES.has(column.type)) {
    throw new OpmeterConfigError(
      `${where}: overflow, maxLength and marker apply to text columns only`,
    );
  }
  if (overflow !== undefined && overflow !== 'truncate' && overflow !== 'reject') {
    throw new OpmeterConfigError(
      `${where}: overflow must be truncate or reject, got ${JSON.stringify(overflow)}`,
    );
  }
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && (maxLength as number) > 0)) {
    throw new OpmeterConfigError(
      `${where}: maxLength must be a positive whole number of characters`,
    );
  }
  if (marker !== undefined && (typeof marker !== 'string' || maxLength === undefined)) {
    throw new OpmeterConfigError(`${where}: marker must be a string, and needs maxLength`);
  }
  return {
    action: overflow ?? (inPrimaryKey ? 'reject' : 'truncate'),
    ...(maxLength === undefined ? {} : { maxLength: maxLength as number }),
    ...(marker === undefined ? {} : { marker: marker as string }),
  };
}
