import type { OperationConfig } from '../../src/core/operation-instrumentation.js';
import type { ItemsOf } from '../../src/core/operation-recorder.js';

/**
 * Configuration of {@link ModuleInstrumentation}: the module, plus the shared options
 * (`meterProvider`, `stats`, `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of
 * `module.operation.duration`: `'default'` is {@link MODULE_OPERATION_DURATION_BUCKETS}, `'fine'`
 * {@link MODULE_OPERATION_DURATION_BUCKETS_FINE}).
 */
export interface ModuleInstrumentationConfig extends OperationConfig {
  /**
   * The module measured, lower-case (`dataimport`): the `opmeter.module` attribute and the
   * `<module>` of the `def_<module>_metric` table rows go to.
   */
  module: string;
}

/** Options of one module operation started explicitly. */
export interface ModuleStartOptions {
  /**
   * Operation identifier (`CUSTOMERS_CSV`), stored in the code column the table's YAML declares.
   * Default: the operation name. Cut to that column's length.
   */
  code?: string;
  /** Package (tenant or product) of the operation. Default: the instrumentation's default. */
  package?: string;
  /** What the operation works on (a table, an entity type), the `TargetEntity` column. */
  target?: string;
}

/** Options of an operation by `run()` / `wrap()` / `@measure()`: start options plus `itemsOf`. */
export interface ModuleRunOptions<R = unknown> extends ModuleStartOptions {
  /** Derives the items processed from the result of a wrapped function or method. */
  itemsOf?: ItemsOf<R>;
}
