export {
  type BucketPreset,
  type DurationBuckets,
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS_FINE,
} from '../../src/core/buckets.js';
export { WorkflowInstrumentation } from './instrumentation.js';
export * from './semconv.js';
export type {
  ExecutionMode,
  WorkflowInstrumentationConfig,
  WorkflowRunOptions,
  WorkflowStartOptions,
} from './types.js';
export type { WorkflowFields } from './workflow-run.js';
export { WorkflowRun } from './workflow-run.js';
