import { WORKFLOW_DURATION_PRESETS } from '../../src/core/buckets.js';
import { WORKFLOW_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import { knownValueOf } from '../../src/core/known-value.js';
import { SeriesInstrumentation } from '../../src/core/series-instrumentation.js';
import { ADJUSTMENT_UNKNOWN_MODE, ATTR_WORKFLOW_MODE, WORKFLOW_MODE_VALUES } from './semconv.js';
import type {
  ExecutionMode,
  WorkflowInstrumentationConfig,
  WorkflowStartOptions,
} from './types.js';
import { WorkflowMetrics } from './workflow-metrics.js';
import { type WorkflowFields, WorkflowRun } from './workflow-run.js';

/**
 * Measures workflow runs: duration, outcome, steps, retries and runs in flight (count and
 * ages), plus a `def_workflow_metric` row per run when a row sink is configured. Three equivalent
 * ways: `run()` / `wrap()`, an explicit handle from `start()`, and the `@measure()` decorator.
 *
 * @example
 * const workflows = new WorkflowInstrumentation(metrics);
 * await workflows.run('NIGHTLY_IMPORT', async (run) => { await step(); run.stepCompleted(); },
 *   { package: 'billing', mode: 'sequential' });
 */
export class WorkflowInstrumentation extends SeriesInstrumentation<
  WorkflowFields,
  WorkflowRun,
  WorkflowStartOptions,
  WorkflowInstrumentationConfig,
  WorkflowMetrics
> {
  /** Creates the workflow instruments; invalid bucket or SLO lists throw here. */
  constructor(config: WorkflowInstrumentationConfig = {}) {
    super(new WorkflowMetrics(), WORKFLOW_DURATION_PRESETS, config);
  }

  /** The fields of a run of `code` started with `options`. */
  protected fieldsOf(code: string, options: WorkflowStartOptions | undefined): WorkflowFields {
    const guard = this.recorder.guard;
    const series = this.seriesOf(code, options?.package, this.modeOf(options?.mode));
    return {
      series,
      workflowName:
        options?.name === undefined
          ? series.code
          : guard.text(options.name, 'workflow.name', WORKFLOW_METRIC_LENGTHS.WorkflowName),
      stepsCompleted: 0,
      stepsFailed: 0,
      retries: 0,
    };
  }

  /** The handle of a run. */
  protected handleOf(fields: WorkflowFields): WorkflowRun {
    return new WorkflowRun(this.recorder, fields.series.code, fields);
  }

  /** A known execution mode (any case, spaces trimmed), else '' (none); an unknown one is counted. */
  private modeOf(mode: unknown): ExecutionMode | '' {
    if (mode === undefined) return '';
    const known = knownValueOf(WORKFLOW_MODE_VALUES, mode);
    if (known === undefined) this.recorder.guard.count(ATTR_WORKFLOW_MODE, ADJUSTMENT_UNKNOWN_MODE);
    return known ?? '';
  }
}
