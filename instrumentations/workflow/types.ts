import type { DurationBuckets } from '../../src/core/buckets.js';
import type { InstrumentationOptions } from '../../src/core/instrumentation-options.js';
import type { ItemsOf } from '../../src/core/operation-recorder.js';

/** How a workflow runs its steps. */
export type ExecutionMode = 'parallel' | 'sequential';

/** Configuration of {@link WorkflowInstrumentation}. */
export interface WorkflowInstrumentationConfig extends InstrumentationOptions {
  /** Package used when a run names none. Default `default`. */
  defaultPackage?: string;
  /**
   * Boundaries of `workflow.duration`: `'default'` (at most 16 edges, {@link
   * WORKFLOW_DURATION_BUCKETS}), `'fine'` (R10, ~3× the series, more accurate quantiles: {@link
   * WORKFLOW_DURATION_BUCKETS_FINE}) or an array of seconds. Default `'default'`.
   */
  buckets?: DurationBuckets;
  /** SLO thresholds (seconds) guaranteed to be bucket edges of `workflow.duration`. */
  slo?: readonly number[];
}

/** Options of one workflow run started explicitly. */
export interface WorkflowStartOptions {
  /** Package (tenant or product) of the workflow. Default: the instrumentation's default. */
  package?: string;
  /** Execution mode, an attribute and the `ExecutionMode` column. */
  mode?: ExecutionMode;
  /** Human-readable name, the `WorkflowName` column. Default: the code. */
  name?: string;
}

/** Options of a run by `run()` / `wrap()` / `@measure()`: start options plus `itemsOf`. */
export interface WorkflowRunOptions<R = unknown> extends WorkflowStartOptions {
  /** Derives the items processed from the result of a wrapped function or method. */
  itemsOf?: ItemsOf<R>;
}
