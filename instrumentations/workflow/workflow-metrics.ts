import type { Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import { errorMessageOf } from '../../src/core/error-classification.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import type { DefMetricRow } from '../../src/core/row-sink.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  ATTR_WORKFLOW_STEP_OUTCOME,
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_DURATION,
  METRIC_WORKFLOW_RETRIES,
  METRIC_WORKFLOW_RUNS,
  METRIC_WORKFLOW_STEPS,
  OUTCOME_VALUE_FAILURE,
  STEP_OUTCOME_VALUE_COMPLETED,
  STEP_OUTCOME_VALUE_FAILED,
  WORKFLOW_TABLE,
} from './semconv.js';
import type { WorkflowCounters, WorkflowFields, WorkflowRun } from './workflow-run.js';

/** The workflow domain's instruments, and how a run lands on them and in `def_workflow_metric`. */
export class WorkflowMetrics implements OperationDomain<WorkflowFields>, WorkflowCounters {
  readonly name = 'workflow';
  readonly readsMemory = true;
  readonly table = WORKFLOW_TABLE;
  private readonly duration: Histogram;
  private readonly runs: Counter;
  private readonly stepsCounter: Counter;
  private readonly retries: Counter;
  private readonly active: UpDownCounter;

  /** Creates the workflow instruments on `meter`, with `boundaries` for the duration histogram. */
  constructor(meter: Meter, boundaries: number[]) {
    this.duration = meter.createHistogram(METRIC_WORKFLOW_DURATION, {
      description: 'Duration of workflow runs',
      unit: 's',
      advice: { explicitBucketBoundaries: boundaries },
    });
    this.runs = meter.createCounter(METRIC_WORKFLOW_RUNS, {
      description: 'Workflow runs that ended, by outcome',
      unit: '{run}',
    });
    this.stepsCounter = meter.createCounter(METRIC_WORKFLOW_STEPS, {
      description: 'Workflow steps that completed or failed',
      unit: '{step}',
    });
    this.retries = meter.createCounter(METRIC_WORKFLOW_RETRIES, {
      description: 'Retry attempts made by workflow runs',
      unit: '{retry}',
    });
    this.active = meter.createUpDownCounter(METRIC_WORKFLOW_ACTIVE, {
      description: 'Workflow runs in flight',
      unit: '{run}',
    });
  }

  /** Counts one run as started (in flight). */
  started(fields: WorkflowFields): void {
    this.active.add(1, fields.attributes);
  }

  /** Counts `count` steps of `run` as completed or failed. */
  steps(run: WorkflowRun, count: number, completed: boolean): void {
    this.stepsCounter.add(count, {
      ...run.fields.attributes,
      [ATTR_WORKFLOW_STEP_OUTCOME]: completed
        ? STEP_OUTCOME_VALUE_COMPLETED
        : STEP_OUTCOME_VALUE_FAILED,
    });
  }

  /** Counts one retry of `run`. */
  retry(run: WorkflowRun): void {
    this.retries.add(1, run.fields.attributes);
  }

  /** Records an ended run on the duration histogram and runs counter. */
  record(run: EndedOperation<WorkflowFields>): void {
    const base = run.fields.attributes;
    const attributes = run.success
      ? run.fields.successAttributes
      : { ...base, [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE, [ATTR_ERROR_TYPE]: run.errorType };
    this.duration.record(run.durationSeconds, attributes);
    this.runs.add(1, attributes);
    this.active.add(-1, base);
  }

  /** The `def_workflow_metric` row of an ended run. */
  toRow(run: EndedOperation<WorkflowFields>): DefMetricRow {
    const f = run.fields;
    return {
      WorkflowCode: f.code,
      Package: f.package,
      WorkflowName: f.workflowName,
      StepsCompleted: f.stepsCompleted,
      StepsFailed: f.stepsFailed,
      ElapsedSeconds: run.durationSeconds,
      MemoryUsageMB: run.memoryMB,
      RetryAttempts: f.retries,
      ExecutionMode: f.mode === undefined ? null : f.mode.toUpperCase(),
      OperationSuccess: run.success,
      ErrorMessage: run.success ? null : errorMessageOf(run.error),
    };
  }
}
