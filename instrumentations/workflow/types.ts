import type { RunOptions } from '../../src/core/measuring-instrumentation.js';
import type { OperationConfig, PackageOption } from '../../src/core/operation-instrumentation.js';

/** How a workflow runs its steps. */
export type ExecutionMode = 'parallel' | 'sequential';

/**
 * Configuration of {@link WorkflowInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of `workflow.duration`: `'default'`
 * is {@link WORKFLOW_DURATION_BUCKETS}, `'fine'` {@link WORKFLOW_DURATION_BUCKETS_FINE}).
 */
export type WorkflowInstrumentationConfig = OperationConfig;

/** Options of one workflow run started explicitly (and its `package`). */
export interface WorkflowStartOptions extends PackageOption {
  /** Execution mode, an attribute and the `ExecutionMode` column. */
  mode?: ExecutionMode;
  /** Human-readable name, the `WorkflowName` column. Default: the code. */
  name?: string;
}

/**
 * Options of a run by `run()` / `wrap()` / `@measure()`: start options plus `itemsOf`, which
 * derives the items processed from the result of a wrapped function or method.
 */
export type WorkflowRunOptions<R = unknown> = WorkflowStartOptions & RunOptions<R>;
