import { MeasuringInstrumentation } from '../../src/core/measuring-instrumentation.js';
import { readSafely } from '../../src/core/safe-read.js';
import type { SeriesCache } from '../../src/core/series-cache.js';
import { moduleSeriesCache, type OperationAttributes } from './attribute-cache.js';
import { type ModuleLengths, moduleLengthsOf } from './module-lengths.js';
import { ModuleMetrics } from './module-metrics.js';
import { moduleTableOf, refuseCodeColumnOption, validModuleName } from './module-names.js';
import { type ModuleFields, ModuleOperation } from './module-operation.js';
import {
  ATTR_OPMETER_OPERATION,
  ATTR_PACKAGE,
  MODULE_OPERATION_DURATION_PRESETS,
} from './semconv.js';
import type { ModuleInstrumentationConfig, ModuleStartOptions } from './types.js';

const NO_OPTIONS: ModuleStartOptions = Object.freeze({});

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
  /**
   * The def_metric table rows go to (`def_dataimport_metric`). Its YAML declares the code column
   * (the template's `codeColumn`); the rows carry the code under `ModuleCode`, the column's alias.
   */
  readonly table: string;
  private readonly series: SeriesCache<OperationAttributes>;
  protected override readonly constructionOptions: readonly (keyof ModuleInstrumentationConfig)[] =
    ['module'];
  private lengths: ModuleLengths;

  /**
   * Creates the module's instruments; an invalid module name or bucket list, or the removed
   * `codeColumn` option, throws here.
   */
  constructor(config: ModuleInstrumentationConfig) {
    const module = validModuleName(config?.module);
    refuseCodeColumnOption(config);
    const table = moduleTableOf(module);
    super(new ModuleMetrics(module, table), MODULE_OPERATION_DURATION_PRESETS, config, 'module');
    this.module = module;
    this.table = table;
    this.series = moduleSeriesCache(module);
    this.lengths = moduleLengthsOf(this.getConfig().rows, table);
  }

  /**
   * Starts the operation `operation` (`import_file`); end it with `end()` or `fail(error)`. The
   * operation name, code, package and target are cut to the lengths their columns declare.
   */
  start(operation: string, options?: ModuleStartOptions): ModuleOperation {
    const guard = this.recorder.guard;
    const name = guard.text(operation, ATTR_OPMETER_OPERATION, this.lengths.operation);
    const fields = readSafely(guard, 'options', this.fieldsOf, this, name, options);
    return new ModuleOperation(this.recorder, name, fields);
  }

  /** The fields of the operation `name` (already cut) started with `options`. */
  private fieldsOf(name: string, options: ModuleStartOptions | undefined): ModuleFields {
    const opts = options ?? NO_OPTIONS;
    const guard = this.recorder.guard;
    const lengths = this.lengths;
    const pkg = guard.text(opts.package ?? this.defaultPackage, ATTR_PACKAGE, lengths.package);
    return {
      code: guard.text(opts.code === undefined ? name : opts.code, 'code', lengths.code),
      package: pkg,
      series: this.series.get(name, pkg),
      target:
        opts.target === undefined ? undefined : guard.text(opts.target, 'target', lengths.target),
      cacheHits: 0,
      apiCalls: 0,
      fileSizeBytes: undefined,
      lengths,
    };
  }

  protected override validateConfig(config: ModuleInstrumentationConfig): void {
    super.validateConfig(config);
    refuseCodeColumnOption(config);
  }

  protected override updateMetricInstruments(): void {
    super.updateMetricInstruments();
    // A new row sink may declare other lengths (another writer, other YAML).
    this.lengths = moduleLengthsOf(this.getConfig().rows, this.table);
  }
}
