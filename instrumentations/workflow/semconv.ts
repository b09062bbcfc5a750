/** Histogram of workflow run durations, in seconds (Prometheus: `workflow_duration_seconds`). */
export const METRIC_WORKFLOW_DURATION = 'workflow.duration';
/** Counter of finished workflow runs, by outcome (Prometheus: `workflow_runs_total`). */
export const METRIC_WORKFLOW_RUNS = 'workflow.runs';
/** Counter of workflow steps, by step outcome (Prometheus: `workflow_steps_total`). */
export const METRIC_WORKFLOW_STEPS = 'workflow.steps';
/** Counter of retry attempts (Prometheus: `workflow_retries_total`). */
export const METRIC_WORKFLOW_RETRIES = 'workflow.retries';
/** Up-down counter of runs in flight (Prometheus: `workflow_active_runs`). */
export const METRIC_WORKFLOW_ACTIVE = 'workflow.active_runs';

/** The workflow code (`NIGHTLY_IMPORT`). */
export const ATTR_WORKFLOW_CODE = 'workflow.code';
/** Package (tenant or product) the workflow belongs to. */
export const ATTR_PACKAGE = 'package';
/** Outcome of the run: `success` or `failure`. */
export const ATTR_OUTCOME = 'outcome';
/** Execution mode: `parallel` or `sequential`. */
export const ATTR_WORKFLOW_MODE = 'workflow.mode';
/** Outcome of a step: `completed` or `failed`. */
export const ATTR_WORKFLOW_STEP_OUTCOME = 'workflow.step.outcome';
/** Low-cardinality error class or code of a failed run (OTel `error.type`). */
export const ATTR_ERROR_TYPE = 'error.type';

/** `outcome` of a run that ended well. */
export const OUTCOME_VALUE_SUCCESS = 'success';
/** `outcome` of a run that failed. */
export const OUTCOME_VALUE_FAILURE = 'failure';
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
/** Package used when a run names none. */
export const DEFAULT_PACKAGE = 'default';
