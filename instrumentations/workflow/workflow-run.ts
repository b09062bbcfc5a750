import { OperationHandle } from '../../src/core/operation-handle.js';
import type { OperationRecorder } from '../../src/core/operation-recorder.js';
import type { WorkflowSeries } from './workflow-series.js';

/** Per-run fields of a workflow operation. */
export interface WorkflowFields {
  /** The (code, package, mode) series of the run: its attribute sets and runs in flight. */
  readonly series: WorkflowSeries;
  readonly workflowName: string;
  stepsCompleted: number;
  stepsFailed: number;
  retries: number;
}

/** Callbacks a run uses to count steps and retries as they happen. */
export interface WorkflowCounters {
  /** Counts `count` steps with `completed` (true) or `failed` (false). */
  steps(run: WorkflowRun, count: number, completed: boolean): void;
  /** Counts one retry attempt. */
  retry(run: WorkflowRun): void;
}

/**
 * One workflow run in flight: count its steps and retries, then `end()` or `fail(error)`.
 * A run started while recording is switched off counts nothing.
 */
export class WorkflowRun extends OperationHandle<WorkflowFields> {
  /** Starts measuring a run of the workflow `code`. */
  constructor(
    recorder: OperationRecorder<WorkflowFields>,
    code: string,
    fields: WorkflowFields,
    private readonly counters: WorkflowCounters,
  ) {
    super(recorder, code, fields);
  }

  /** Counts `count` completed steps (default 1). */
  stepCompleted(count = 1): this {
    return this.steps(count, true);
  }

  /** Counts `count` failed steps (default 1). */
  stepFailed(count = 1): this {
    return this.steps(count, false);
  }

  /** Counts one retry attempt. */
  retry(): this {
    if (!this.isLive) return this;
    this.fields.retries++;
    this.counters.retry(this);
    return this;
  }

  private steps(count: number, completed: boolean): this {
    if (!this.isLive) return this;
    const n = this.recorder.guard.nonNegative(count, 'steps');
    if (completed) this.fields.stepsCompleted += n;
    else this.fields.stepsFailed += n;
    this.counters.steps(this, n, completed);
    return this;
  }
}
