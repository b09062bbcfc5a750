import { resolveBuckets } from '../../src/core/buckets.js';
import { type MethodDecorator, measuringDecorator } from '../../src/core/decorate.js';
import { meterFor } from '../../src/core/instrumentation-options.js';
import { type ItemsOf, OperationRecorder } from '../../src/core/operation-recorder.js';
import { AttributeCache } from './attribute-cache.js';
import { ModuleMetrics } from './module-metrics.js';
import { codeColumnOf, moduleTableOf, validModuleName } from './module-names.js';
import { type ModuleFields, ModuleOperation } from './module-operation.js';
import {
  ATTR_OPMETER_OPERATION,
  ATTR_PACKAGE,
  DEFAULT_PACKAGE,
  MODULE_OPERATION_DURATION_PRESETS,
} from './semconv.js';
import type { ModuleInstrumentationConfig, ModuleRunOptions, ModuleStartOptions } from './types.js';

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
export class ModuleInstrumentation {
  /** The module measured (`dataimport`). */
  readonly module: string;
  /** The def_metric table rows go to (`def_dataimport_metric`). */
  readonly table: string;
  /** The operation-identifier column of {@link table} (`DataimportCode`). */
  readonly codeColumn: string;
  private readonly metrics: ModuleMetrics;
  private readonly recorder: OperationRecorder<ModuleFields>;
  private readonly attributes: AttributeCache;
  private readonly defaultPackage: string;

  /** Creates the module's instruments; an invalid module name, column or bucket list throws here. */
  constructor(config: ModuleInstrumentationConfig) {
    this.module = validModuleName(config?.module);
    this.table = moduleTableOf(this.module);
    this.codeColumn = codeColumnOf(this.module, config.codeColumn);
    const meter = meterFor('module', config);
    const boundaries = resolveBuckets(
      config.buckets,
      MODULE_OPERATION_DURATION_PRESETS,
      config.slo,
    );
    this.metrics = new ModuleMetrics(this.module, meter, boundaries, {
      table: this.table,
      codeColumn: this.codeColumn,
    });
    this.recorder = new OperationRecorder(this.metrics, meter, config);
    this.attributes = new AttributeCache(this.module);
    this.defaultPackage = config.defaultPackage ?? DEFAULT_PACKAGE;
  }

  /** Starts the operation `operation` (`import_file`); end it with `end()` or `fail(error)`. */
  start(operation: string, options?: ModuleStartOptions): ModuleOperation {
    const opts = options ?? {};
    const guard = this.recorder.guard;
    const name = guard.text(operation, ATTR_OPMETER_OPERATION);
    const pkg = guard.text(opts.package ?? this.defaultPackage, ATTR_PACKAGE);
    const shared = this.attributes.get(name, pkg);
    const fields: ModuleFields = {
      code: opts.code === undefined ? name : guard.text(opts.code, 'code'),
      package: pkg,
      attributes: shared.attributes,
      successAttributes: shared.successAttributes,
      target: opts.target === undefined ? undefined : guard.text(opts.target, 'target'),
      cacheHits: 0,
      apiCalls: 0,
      fileSizeBytes: undefined,
    };
    return new ModuleOperation(this.recorder, name, fields);
  }

  /** Runs `fn` as one `operation` (sync or async) and returns its result. */
  run<R>(
    operation: string,
    fn: (op: ModuleOperation) => R,
    options?: ModuleRunOptions<Awaited<R>>,
  ): R {
    const op = this.start(operation, options);
    return this.recorder.invoke(op, fn, undefined, [op], options?.itemsOf);
  }

  /** Returns `fn` wrapped so that every call is one `operation`. */
  wrap<A extends unknown[], R>(
    operation: string,
    fn: (...args: A) => R,
    options?: ModuleRunOptions<Awaited<R>>,
  ): (...args: A) => R {
    const call = this.caller(operation, options ?? {});
    return function (this: unknown, ...args: A): R {
      return call(fn, this, args);
    };
  }

  /** A TC39 method decorator: every call of the method is one `operation`. */
  measure(operation: string, options?: ModuleRunOptions): MethodDecorator {
    return measuringDecorator('measure', this.caller(operation, options ?? {}));
  }

  private caller<T>(operation: string, options: ModuleRunOptions<T>) {
    const itemsOf = options.itemsOf as ItemsOf<unknown> | undefined;
    return <A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, args: A): R => {
      const op = this.start(operation, options);
      return this.recorder.invoke(op, fn, thisArg, args, itemsOf);
    };
  }
}
