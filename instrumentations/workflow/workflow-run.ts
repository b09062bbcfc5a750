import { OperationHandle } from '../../src/core/operation-handle.js';
import type { SeriesFields } from '../../src/core/series-domain.js';
import type { WorkflowMetrics } from './workflow-metrics.js';

/** Per-run fields of a workflow operation: its (code, package, mode) series and counts. */
export interface WorkflowFields extends SeriesFields {
  readonly workflowName: string;
  stepsCompleted: number;
  stepsFailed: number;
  retries: number;
}

/**
 * One workflow run in flight: count its steps and retries, then `end()` or `fail(error)`.
 * A run started while recording is switched off counts nothing; calls after the end are ignored.
 */
export class WorkflowRun extends OperationHandle<WorkflowFields, WorkflowMetrics> {
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
    if (!this.isOpen('retries') || !this.isLive) return this;
    this.fields.retries++;
    this.recorder.domain.retry(this);
    return this;
  }

  private steps(count: number, completed: boolean): this {
    if (!this.isOpen('steps') || !this.isLive) return this;
    const n = this.recorder.guard.nonNegative(count, 'steps');
    if (completed) this.fields.stepsCompleted += n;
    else this.fields.stepsFailed += n;
    this.recorder.domain.steps(this, n, completed);
    return this;
  }
}
