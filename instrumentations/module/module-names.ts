import { OpmeterConfigError } from '../../src/core/config-error.js';

const MODULE_NAME = /^[a-z][a-z0-9_]{0,49}$/;

/** Thrown at construction when a module name cannot be used. */
export class InvalidModuleConfigError extends OpmeterConfigError {
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
 * Refuses the removed `codeColumn` option: the table's YAML declares the code column, once.
 * @throws InvalidModuleConfigError saying where the column is declared now.
 */
export function refuseCodeColumnOption(config: object | undefined): void {
  if (config === undefined || config === null || !('codeColumn' in config)) return;
  throw new InvalidModuleConfigError(
    "ModuleInstrumentation: the codeColumn option was removed; the table's YAML declares the code " +
      'column (e.g. { template: module_metric, module: payments, codeColumn: PaymentCode }) and ' +
      'the rows carry the code under ModuleCode, its alias: remove codeColumn here',
  );
}

/** The def_metric table of a module's operations: `def_<module>_metric`. */
export function moduleTableOf(module: string): string {
  return `def_${module}_metric`;
}
