import { resolveBuckets, WORKFLOW_DURATION_PRESETS } from '../../src/core/buckets.js';
import { type MethodDecorator, measuringDecorator } from '../../src/core/decorate.js';
import { meterFor } from '../../src/core/instrumentation-options.js';
import { type ItemsOf, OperationRecorder } from '../../src/core/operation-recorder.js';
import {
  ADJUSTMENT_UNKNOWN_MODE,
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  ATTR_WORKFLOW_MODE,
  DEFAULT_PACKAGE,
  WORKFLOW_MODE_VALUES,
} from './semconv.js';
import type {
  ExecutionMode,
  WorkflowInstrumentationConfig,
  WorkflowRunOptions,
  WorkflowStartOptions,
} from './types.js';
import { WorkflowMetrics } from './workflow-metrics.js';
import { type WorkflowFields, WorkflowRun } from './workflow-run.js';
import { WorkflowSeriesCache } from './workflow-series.js';

/**
 * Measures workflow runs: duration, outcome, steps, retries and runs in flight, plus a
 * `def_workflow_metric` row per run when a row sink is configured. Three equivalent ways:
 * `run()` / `wrap()`, an explicit handle from `start()`, and the `@measure()` decorator.
 *
 * @example
 * const workflows = new WorkflowInstrumentation(metrics);
 * await workflows.run('NIGHTLY_IMPORT', async (run) => { await step(); run.stepCompleted(); },
 *   { package: 'billing', mode: 'sequential' });
 */
export class WorkflowInstrumentation {
  private readonly metrics: WorkflowMetrics;
  private readonly recorder: OperationRecorder<WorkflowFields>;
  private readonly defaultPackage: string;
  private readonly series = new WorkflowSeriesCache();

  /** Creates the workflow instruments; invalid bucket or SLO lists throw here. */
  constructor(config: WorkflowInstrumentationConfig = {}) {
    const meter = meterFor('workflow', config);
    const boundaries = resolveBuckets(config.buckets, WORKFLOW_DURATION_PRESETS, config.slo);
    this.metrics = new WorkflowMetrics(meter, boundaries);
    this.recorder = new OperationRecorder(this.metrics, meter, config);
    this.defaultPackage = config.defaultPackage ?? DEFAULT_PACKAGE;
  }

  /** Starts a run of workflow `code`; end it with `end()` or `fail(error)`. */
  start(code: string, options?: WorkflowStartOptions): WorkflowRun {
    const fields = this.fieldsOf(code, options ?? {});
    return new WorkflowRun(this.recorder, fields.code, fields, this.metrics);
  }

  /** Runs `fn` as one run of workflow `code` (sync or async) and returns its result. */
  run<R>(code: string, fn: (run: WorkflowRun) => R, options?: WorkflowRunOptions<Awaited<R>>): R {
    const run = this.start(code, options);
    return this.recorder.invoke(run, fn, undefined, [run], options?.itemsOf);
  }

  /** Returns `fn` wrapped so that every call is one run of workflow `code`. */
  wrap<A extends unknown[], R>(
    code: string,
    fn: (...args: A) => R,
    options?: WorkflowRunOptions<Awaited<R>>,
  ): (...args: A) => R {
    const call = this.caller(code, options ?? {});
    return function (this: unknown, ...args: A): R {
      return call(fn, this, args);
    };
  }

  /** A TC39 method decorator: every call of the method is one run of workflow `code`. */
  measure(code: string, options?: WorkflowRunOptions): MethodDecorator {
    return measuringDecorator('measure', this.caller(code, options ?? {}));
  }

  private caller<T>(code: string, options: WorkflowRunOptions<T>) {
    const itemsOf = options.itemsOf as ItemsOf<unknown> | undefined;
    return <A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, args: A): R => {
      const run = this.start(code, options);
      return this.recorder.invoke(run, fn, thisArg, args, itemsOf);
    };
  }

  private fieldsOf(code: string, options: WorkflowStartOptions): WorkflowFields {
    const guard = this.recorder.guard;
    const safeCode = guard.text(code, ATTR_WORKFLOW_CODE);
    const pkg = guard.text(options.package ?? this.defaultPackage, ATTR_PACKAGE);
    const series = this.series.get(safeCode, pkg, this.modeOf(options.mode));
    return {
      code: series.code,
      package: series.package,
      workflowName: options.name ?? safeCode,
      mode: series.mode,
      attributes: series.attributes,
      successAttributes: series.successAttributes,
      stepsCompleted: 0,
      stepsFailed: 0,
      retries: 0,
    };
  }

  /** A known execution mode (any case), else undefined; an unknown one is counted. */
  private modeOf(mode: unknown): ExecutionMode | undefined {
    if (mode === undefined) return undefined;
    const normal = typeof mode === 'string' ? mode.toLowerCase() : mode;
    const known = WORKFLOW_MODE_VALUES.find((value) => value === normal);
    if (known === undefined) this.recorder.guard.count(ATTR_WORKFLOW_MODE, ADJUSTMENT_UNKNOWN_MODE);
    return known;
  }
}
