import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { OpmeterConfigError } from '../../core/config-error.js';
import {
  applyDeclaredColumns,
  type DeclaredColumns,
  mergeDeclaredColumns,
  readDeclaredColumns,
  renameDeclaredColumns,
} from './column-properties.js';
import { parseCreateTable } from './ddl-parser.js';
import type { TableModel } from './table-model.js';

/** Options of {@link loadSchemaRegistry}. */
export interface SchemaRegistryOptions {
  /** Extra YAML files or directories (`*.yaml`, `*.yml`), read after the built-in schemas. */
  readonly paths?: readonly string[];
  /** Read the schemas shipped in the package's `schemas/` folder (default true). */
  readonly builtins?: boolean;
}

/** The def_metric tables declared in YAML, by table name. */
export interface SchemaRegistry {
  /** Returns the table called `name`, or undefined. */
  get(name: string): TableModel | undefined;
  /** Returns the table called `name`, or throws an error that lists the known tables. */
  require(name: string): TableModel;
  /** All declared tables, sorted by name. */
  tables(): readonly TableModel[];
}

/** A module table declared from a template instead of a full DDL. */
interface TemplateDeclaration {
  readonly template: string;
  readonly module: string;
  readonly codeColumn?: string;
  readonly columns?: unknown;
}

/** A table or template: its DDL and the column properties declared beside it. */
interface Definition {
  readonly ddl: string;
  readonly columns: DeclaredColumns;
}

const MODULE_PATTERN = /^[a-z][a-z0-9_]*$/;
const COLUMN_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Folder of the YAML schemas shipped with opmeter (`<package>/schemas`). */
export function builtinSchemaDir(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new OpmeterConfigError('opmeter: cannot find the package folder holding schemas/');
    dir = parent;
  }
  return join(dir, 'schemas');
}

/** Reads YAML schema files into a registry; later declarations of a table replace earlier ones. */
export function loadSchemaRegistry(options: SchemaRegistryOptions = {}): SchemaRegistry {
  const roots = [
    ...(options.builtins === false ? [] : [builtinSchemaDir()]),
    ...(options.paths ?? []),
  ];
  const files = roots.flatMap((root) => yamlFiles(resolve(root)));
  const templates = new Map<string, Definition>();
  const declarations: Array<{ table: string; value: unknown; file: string }> = [];
  for (const file of files) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (document.errors.length > 0) {
        throw new OpmeterConfigError(
          `${file}: invalid YAML: ${document.errors[0]?.message ?? 'parse error'}`,
        );
      }
      const root = document.toJS() as unknown;
      if (root === null || root === undefined) continue;
      const database = objectAt(root, 'database', file);
      for (const [name, value] of Object.entries(objectAt(database, 'templates', file))) {
        const definition = definitionOf(value, `${file}: template ${name}`);
        if (!definition) {
          throw new OpmeterConfigError(
            `${file}: template ${name} must be a DDL string or { ddl, columns }`,
          );
        }
        templates.set(name, definition);
      }
      for (const [table, value] of Object.entries(objectAt(database, 'schema', file))) {
        declarations.push({ table, value, file });
      }
    }
  }
  const tables = new Map<string, TableModel>();
  for (const { table, value, file } of declarations) {
    const context = `${file}: ${table}`;
    const { ddl, columns } =
      definitionOf(value, context) ?? expandTemplate(value, templates, context);
    const model = parseCreateTable(ddl, context);
    if (model.name !== table) {
      throw new OpmeterConfigError(
        `${context}: the DDL creates \`${model.name}\`; rename the YAML key or the table`,
      );
    }
    tables.set(table, applyDeclaredColumns(model, columns, context));
  }
  return registryOf(tables);
}

/** Builds a registry from already-parsed tables. */
export function registryOf(tables: ReadonlyMap<string, TableModel>): SchemaRegistry {
  const sorted = [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    get: (name) => tables.get(name),
    require(name) {
      const table = tables.get(name);
      if (table) return table;
      const known = sorted.map((t) => t.name).join(', ') || 'none';
      throw new OpmeterConfigError(
        `unknown table '${name}' (known: ${known}); declare it in a YAML schema file and pass its path`,
      );
    },
    tables: () => sorted,
  };
}

function yamlFiles(path: string): string[] {
  if (!existsSync(path)) throw new OpmeterConfigError(`schema path ${path} does not exist`);
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(path, name));
}

function objectAt(parent: unknown, key: string, file: string): Record<string, unknown> {
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) {
    throw new OpmeterConfigError(`${file}: expected a mapping holding '${key}'`);
  }
  const value = (parent as Record<string, unknown>)[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new OpmeterConfigError(`${file}: '${key}' must be a mapping`);
  }
  return value as Record<string, unknown>;
}

/**
 * A table or template given as its DDL string (the guide's form, no column properties) or as
 * `{ ddl, columns }`; undefined for anything else (a template declaration, say).
 */
function definitionOf(value: unknown, context: string): Definition | undefined {
  if (typeof value === 'string') return { ddl: value, columns: new Map() };
  if (typeof value !== 'object' || value === null || !('ddl' in value)) return undefined;
  const { ddl, columns, ...rest } = value as { ddl: unknown; columns?: unknown };
  if (typeof ddl !== 'string')
    throw new OpmeterConfigError(`${context}: 'ddl' must be a CREATE TABLE string`);
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new OpmeterConfigError(
      `${context}: unknown key '${extra[0]}' (a table is { ddl, columns })`,
    );
  }
  return { ddl, columns: readDeclaredColumns(columns, context) };
}

function expandTemplate(
  value: unknown,
  templates: ReadonlyMap<string, Definition>,
  context: string,
): Definition {
  const declaration = value as Partial<TemplateDeclaration> | null;
  if (
    typeof declaration !== 'object' ||
    declaration === null ||
    typeof declaration.template !== 'string'
  ) {
    throw new OpmeterConfigError(
      `${context}: give the CREATE TABLE DDL as a string, { ddl, columns } or { template, module, codeColumn }`,
    );
  }
  const template = templates.get(declaration.template);
  if (template === undefined) {
    throw new OpmeterConfigError(
      `${context}: unknown template '${declaration.template}' (known: ${[...templates.keys()].join(', ') || 'none'})`,
    );
  }
  const module = declaration.module;
  if (typeof module !== 'string' || !MODULE_PATTERN.test(module)) {
    throw new OpmeterConfigError(
      `${context}: 'module' must be a lower-case name such as dataimport`,
    );
  }
  const codeColumn = declaration.codeColumn ?? `${module[0]?.toUpperCase()}${module.slice(1)}Code`;
  if (!COLUMN_PATTERN.test(codeColumn)) {
    throw new OpmeterConfigError(
      `${context}: 'codeColumn' must be a column name such as DataimportCode`,
    );
  }
  const expand = (text: string): string =>
    text.replaceAll('<module>', module).replaceAll('<ModuleCode>', codeColumn);
  return {
    ddl: expand(template.ddl),
    columns: mergeDeclaredColumns(
      renameDeclaredColumns(template.columns, expand),
      readDeclaredColumns(declaration.columns, context),
    ),
  };
}
