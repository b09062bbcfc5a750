export * from '../../src/core/semconv.js';

/** Histogram of workflow run durations, in seconds (Prometheus: `workflow_duration_seconds`). */
export const METRIC_WORKFLOW_DURATION = 'workflow.duration';
/** Counter of workflow steps, by step outcome (Prometheus: `workflow_steps_total`). */
export const METRIC_WORKFLOW_STEPS = 'workflow.steps';
/** Counter of retry attempts (Prometheus: `workflow_retries_total`). */
export const METRIC_WORKFLOW_RETRIES = 'workflow.retries';
/** Observable up-down counter of runs in flight (Prometheus: `workflow_active_runs`). */
export const METRIC_WORKFLOW_ACTIVE = 'workflow.active_runs';
/** Gauge of the age of the oldest run in flight, seconds (`workflow_active_runs_max_age_seconds`). */
export const METRIC_WORKFLOW_ACTIVE_MAX_AGE = 'workflow.active_runs.max_age';
/** Gauge of the summed age of the runs in flight, seconds (`workflow_active_runs_total_age_seconds`). */
export const METRIC_WORKFLOW_ACTIVE_TOTAL_AGE = 'workflow.active_runs.total_age';

/** The workflow code (`NIGHTLY_IMPORT`). */
export const ATTR_WORKFLOW_CODE = 'workflow.code';
/** Execution mode: `parallel` or `sequential`. */
export const ATTR_WORKFLOW_MODE = 'workflow.mode';
/** Outcome of a step: `completed` or `failed`. */
export const ATTR_WORKFLOW_STEP_OUTCOME = 'workflow.step.outcome';
/** `workflow.step.outcome` of a step that completed. */
export const STEP_OUTCOME_VALUE_COMPLETED = 'completed';
/** `workflow.step.outcome` of a step that failed. */
export const STEP_OUTCOME_VALUE_FAILED = 'failed';

/** `workflow.mode` values: the {@link ExecutionMode}s, matched case-insensitively. */
export const WORKFLOW_MODE_VALUES = Object.freeze(['parallel', 'sequential'] as const);
/**
 * `opmeter.reason` of a `mode` option that is not one of {@link WORKFLOW_MODE_VALUES}: the run
 * is recorded without `workflow.mode` and with a null `ExecutionMode` column.
 */
export const ADJUSTMENT_UNKNOWN_MODE = 'unknown_mode';

/** The def_metric table of workflow runs. */
export const WORKFLOW_TABLE = 'def_workflow_metric';
