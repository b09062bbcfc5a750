const MODULE_NAME = /^[a-z][a-z0-9_]{0,49}$/;
const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Thrown at construction when a module name or column name cannot be used. */
export class InvalidModuleConfigError extends Error {
  override name = 'InvalidModuleConfigError';
}

/**
 * Checks the module name (it becomes part of a table name and an attribute value).
 * @throws InvalidModuleConfigError saying what is allowed.
 */
export function validModuleName(module: unknown): string {
  if (typeof module === 'string' && MODULE_NAME.test(module)) return module;
  throw new InvalidModuleConfigError(
    `ModuleInstrumentation: module ${JSON.stringify(module)} is not a valid module name; ` +
      'use 1 to 50 lower-case letters, digits or "_", starting with a letter ' +
      '(rows go to def_<module>_metric), e.g. { module: "dataimport" }',
  );
}

/**
 * The operation-identifier column: `codeColumn` when given, else the capitalised module plus `Code`.
 * @throws InvalidModuleConfigError when `codeColumn` is not a plain SQL identifier.
 */
export function codeColumnOf(module: string, codeColumn: string | undefined): string {
  if (codeColumn === undefined) return `${module[0]?.toUpperCase() ?? ''}${module.slice(1)}Code`;
  if (COLUMN_NAME.test(codeColumn)) return codeColumn;
  throw new InvalidModuleConfigError(
    `ModuleInstrumentation: codeColumn ${JSON.stringify(codeColumn)} is not a valid column name; ` +
      'use 1 to 64 letters, digits or "_", starting with a letter, as in the table\'s YAML ' +
      '(e.g. "DataimportCode")',
  );
}

/** The def_metric table of a module's operations: `def_<module>_metric`. */
export function moduleTableOf(module: string): string {
  return `def_${module}_metric`;
}
