import { MeasuringInstrumentation } from '../../src/core/measuring-instrumentation.js';
import type { SeriesCache } from '../../src/core/series-cache.js';
import { moduleSeriesCache, type OperationAttributes } from './attribute-cache.js';
import { ModuleMetrics } from './module-metrics.js';
import { codeColumnOf, moduleTableOf, validModuleName } from './module-names.js';
import { type ModuleFields, ModuleOperation } from './module-operation.js';
import {
  ATTR_OPMETER_OPERATION,
  ATTR_PACKAGE,
  MODULE_OPERATION_DURATION_PRESETS,
} from './semconv.js';
import type { ModuleInstrumentationConfig, ModuleStartOptions } from './types.js';

/**
 * Measures the operations of one module (the guide's reference module is a data importer):
 * duration and outcome, items, cache hits, API calls, file size and operations in flight, plus a
 * `def_<module>_metric` row per operation when a row sink is configured. Three equivalent ways:
 * `run()` / `wrap()`, an explicit handle from `start()`, and the `@measure()` decorator.
 *
 * @example
 * const imports = new ModuleInstrumentation({ ...metrics, module: 'dataimport' });
 * await imports.run('import_file', async (op) => {
 *   op.target('customers').fileSize(stat.size);
 *   op.addItems(await load(path));
 * }, { code: 'CUSTOMERS_CSV', package: 'crm' });
 */
export class ModuleInstrumentation extends MeasuringInstrumentation<
  ModuleFields,
  ModuleOperation,
  ModuleStartOptions,
  ModuleInstrumentationConfig
> {
  /** The module measured (`dataimport`). */
  readonly module: string;
  /** The def_metric table rows go to (`def_dataimport_metric`). */
  readonly table: string;
  /** The operation-identifier column of {@link table} (`DataimportCode`). */
  readonly codeColumn: string;
  private readonly series: SeriesCache<OperationAttributes>;

  /** Creates the module's instruments; an invalid module name, column or bucket list throws here. */
  constructor(config: ModuleInstrumentationConfig) {
    const module = validModuleName(config?.module);
    const table = moduleTableOf(module);
    const codeColumn = codeColumnOf(module, config.codeColumn);
    super(
      new ModuleMetrics(module, { table, codeColumn }),
      MODULE_OPERATION_DURATION_PRESETS,
      config,
      'module',
    );
    this.module = module;
    this.table = table;
    this.codeColumn = codeColumn;
    this.series = moduleSeriesCache(module);
  }

  /** Starts the operation `operation` (`import_file`); end it with `end()` or `fail(error)`. */
  start(operation: string, options?: ModuleStartOptions): ModuleOperation {
    const opts = options ?? {};
    const guard = this.recorder.guard;
    const name = guard.text(operation, ATTR_OPMETER_OPERATION);
    const pkg = guard.text(opts.package ?? this.defaultPackage, ATTR_PACKAGE);
    const fields: ModuleFields = {
      code: opts.code === undefined ? name : guard.text(opts.code, 'code'),
      package: pkg,
      series: this.series.get(name, pkg),
      target: opts.target === undefined ? undefined : guard.text(opts.target, 'target'),
      cacheHits: 0,
      apiCalls: 0,
      fileSizeBytes: undefined,
    };
    return new ModuleOperation(this.recorder, name, fields);
  }
}
