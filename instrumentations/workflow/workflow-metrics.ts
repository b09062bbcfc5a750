import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { WorkflowMetricRow } from '../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../src/core/error-classification.js';
import type { InFlightSeries, InFlightSpec } from '../../src/core/in-flight.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_ACTIVE_MAX_AGE,
  METRIC_WORKFLOW_ACTIVE_TOTAL_AGE,
  METRIC_WORKFLOW_DURATION,
  METRIC_WORKFLOW_RETRIES,
  METRIC_WORKFLOW_STEPS,
  OUTCOME_VALUE_FAILURE,
  WORKFLOW_TABLE,
} from './semconv.js';
import type { WorkflowCounters, WorkflowFields, WorkflowRun } from './workflow-run.js';

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
export class WorkflowMetrics
  implements OperationDomain<WorkflowFields, WorkflowMetricRow>, WorkflowCounters
{
  readonly name = 'workflow';
  readonly readsMemory = true;
  readonly table = WORKFLOW_TABLE;
  readonly inFlight = IN_FLIGHT;
  private duration!: Histogram;
  private stepsCounter!: Counter;
  private retries!: Counter;

  /** Creates the workflow instruments on `meter`, with `boundaries` for the duration histogram. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.duration = meter.createHistogram(METRIC_WORKFLOW_DURATION, {
      description: 'Duration of workflow runs',
      unit: 's',
      advice: { explicitBucketBoundaries: [...boundaries] },
    });
    this.stepsCounter = meter.createCounter(METRIC_WORKFLOW_STEPS, {
      description: 'Workflow steps that completed or failed',
      unit: '{step}',
    });
    this.retries = meter.createCounter(METRIC_WORKFLOW_RETRIES, {
      description: 'Retry attempts made by workflow runs',
      unit: '{retry}',
    });
  }

  /** The runs in flight of the run's series. */
  inFlightOf(fields: WorkflowFields): InFlightSeries {
    return fields.series.inFlight;
  }

  /** Counts `count` steps of `run` as completed or failed. */
  steps(run: WorkflowRun, count: number, completed: boolean): void {
    const series = run.fields.series;
    this.stepsCounter.add(
      count,
      completed ? series.completedStepAttributes : series.failedStepAttributes,
    );
  }

  /** Counts one retry of `run`. */
  retry(run: WorkflowRun): void {
    this.retries.add(1, run.fields.series.attributes);
  }

  /** Records an ended run on the duration histogram (its count is the runs by outcome). */
  record(run: EndedOperation<WorkflowFields>): void {
    const series = run.fields.series;
    const attributes = run.success
      ? series.successAttributes
      : {
          ...series.attributes,
          [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE,
          [ATTR_ERROR_TYPE]: run.errorType,
        };
    this.duration.record(run.durationSeconds, attributes);
  }

  /** The `def_workflow_metric` row of an ended run. */
  toRow(run: EndedOperation<WorkflowFields>): WorkflowMetricRow {
    const f = run.fields;
    return {
      WorkflowCode: f.series.code,
      Package: f.series.package,
      WorkflowName: f.workflowName,
      StepsCompleted: f.stepsCompleted,
      StepsFailed: f.stepsFailed,
      ElapsedSeconds: run.durationSeconds,
      MemoryUsageMB: run.memoryMB,
      RetryAttempts: f.retries,
      ExecutionMode: f.series.mode === undefined ? null : f.series.mode.toUpperCase(),
      OperationSuccess: run.success,
      ErrorMessage: run.success ? null : errorMessageOf(run.error),
    };
  }
}
