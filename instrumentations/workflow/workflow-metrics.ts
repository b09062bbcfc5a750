import type { Counter, Meter } from '@opentelemetry/api';
import type { WorkflowMetricRow } from '../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../src/core/error-classification.js';
import type { InFlightSpec } from '../../src/core/in-flight.js';
import type { EndedOperation } from '../../src/core/operation-domain.js';
import { SeriesDomain } from '../../src/core/series-domain.js';
import {
  ATTR_WORKFLOW_STEP_OUTCOME,
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_ACTIVE_MAX_AGE,
  METRIC_WORKFLOW_ACTIVE_TOTAL_AGE,
  METRIC_WORKFLOW_DURATION,
  METRIC_WORKFLOW_RETRIES,
  METRIC_WORKFLOW_STEPS,
  STEP_OUTCOME_VALUE_COMPLETED,
  STEP_OUTCOME_VALUE_FAILED,
  WORKFLOW_TABLE,
} from './semconv.js';
import type { WorkflowFields, WorkflowRun } from './workflow-run.js';
import { WorkflowSeriesCache } from './workflow-series.js';

const IN_FLIGHT: InFlightSpec = {
  count: METRIC_WORKFLOW_ACTIVE,
  description: 'Workflow runs in flight',
  unit: '{run}',
  maxAge: METRIC_WORKFLOW_ACTIVE_MAX_AGE,
  totalAge: METRIC_WORKFLOW_ACTIVE_TOTAL_AGE,
};

/**
 * The workflow domain's instruments, and how a run lands on them and in `def_workflow_metric`.
 * A run costs one histogram call when it ends; runs in flight are reported at collection time.
 */
export class WorkflowMetrics extends SeriesDomain<WorkflowFields, WorkflowMetricRow> {
  private stepsCounter!: Counter;
  private retries!: Counter;

  /** Describes the workflow domain. */
  constructor() {
    super('workflow', {
      table: WORKFLOW_TABLE,
      series: new WorkflowSeriesCache(),
      readsMemory: true,
      inFlight: IN_FLIGHT,
      duration: [METRIC_WORKFLOW_DURATION, 'Duration of workflow runs'],
    });
  }

  /** Counts `count` steps of `run` as completed or failed. */
  steps(run: WorkflowRun, count: number, completed: boolean): void {
    const outcome = completed ? STEP_OUTCOME_VALUE_COMPLETED : STEP_OUTCOME_VALUE_FAILED;
    this.stepsCounter.add(count, run.fields.series.with(ATTR_WORKFLOW_STEP_OUTCOME, outcome));
  }

  /** Counts one retry of `run`. */
  retry(run: WorkflowRun): void {
    this.retries.add(1, run.fields.series.attributes);
  }

  /** The `def_workflow_metric` row of an ended run. */
  toRow(run: EndedOperation<WorkflowFields>): WorkflowMetricRow {
    const f = run.fields;
    const mode = f.series.extra;
    return {
      WorkflowCode: f.series.code,
      Package: f.series.package,
      WorkflowName: f.workflowName,
      StepsCompleted: f.stepsCompleted,
      StepsFailed: f.stepsFailed,
      ElapsedSeconds: run.durationSeconds,
      MemoryUsageMB: run.memoryMB,
      RetryAttempts: f.retries,
      ExecutionMode: mode === '' ? null : mode.toUpperCase(),
      OperationSuccess: run.success,
      ErrorMessage: run.success ? null : errorMessageOf(run.error),
    };
  }

  protected bindInstruments(meter: Meter): void {
    this.stepsCounter = meter.createCounter(METRIC_WORKFLOW_STEPS, {
      description: 'Workflow steps that completed or failed',
      unit: '{step}',
    });
    this.retries = meter.createCounter(METRIC_WORKFLOW_RETRIES, {
      description: 'Retry attempts made by workflow runs',
      unit: '{retry}',
    });
  }
}
