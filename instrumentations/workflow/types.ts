import type { OperationConfig } from '../../src/core/operation-instrumentation.js';
import type { ItemsOf } from '../../src/core/operation-recorder.js';

/** How a workflow runs its steps. */
export type ExecutionMode = 'parallel' | 'sequential';

/**
 * Configuration of {@link WorkflowInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of `workflow.duration`: `'default'`
 * is {@link WORKFLOW_DURATION_BUCKETS}, `'fine'` {@link WORKFLOW_DURATION_BUCKETS_FINE}).
 */
export type WorkflowInstrumentationConfig = OperationConfig;

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
