// Generated from schemas/*.yaml by test/support/row-types.ts; do not edit.
// Regenerate with `npx vitest run test/core/row-types.test.ts -u` after changing a schema.

/** A `def_workflow_metric` row as a domain builds it. */
export interface WorkflowMetricRow {
  readonly WorkflowCode: string;
  readonly Package: string;
  readonly WorkflowName?: string | null;
  readonly StepsCompleted?: number | null;
  readonly StepsFailed?: number | null;
  readonly ElapsedSeconds?: number | null;
  readonly MemoryUsageMB?: number | null;
  readonly RetryAttempts?: number | null;
  readonly ExecutionMode?: string | null;
  readonly OperationSuccess?: boolean | null;
  readonly ErrorMessage?: string | null;
}

/** A `def_api_metric` row as a domain builds it. */
export interface ApiMetricRow {
  readonly EndpointCode: string;
  readonly Package: string;
  readonly HTTPMethod?: string | null;
  readonly Endpoint?: string | null;
  readonly StatusCode?: number | null;
  readonly RequestSizeKB?: number | null;
  readonly ResponseSizeKB?: number | null;
  readonly ElapsedSeconds?: number | null;
  readonly CacheHit?: boolean | null;
  readonly OperationSuccess?: boolean | null;
  readonly ErrorMessage?: string | null;
}

/** A `def_notify_metric` row as a domain builds it. */
export interface NotifyMetricRow {
  readonly NotifyCode: string;
  readonly Package: string;
  readonly Channel?: string | null;
  readonly RecipientCount?: number | null;
  readonly DeliveredCount?: number | null;
  readonly FailedCount?: number | null;
  readonly ElapsedSeconds?: number | null;
  readonly QueueDepth?: number | null;
  readonly OperationSuccess?: boolean | null;
  readonly ErrorMessage?: string | null;
}

/** A `def_batch_metric` row as a domain builds it. */
export interface BatchMetricRow {
  readonly BatchCode: string;
  readonly Package: string;
  readonly OperationName?: string | null;
  readonly TargetEntity?: string | null;
  readonly ItemsProcessed?: number | null;
  readonly ElapsedSeconds?: number | null;
  readonly ItemsPerSecond?: number | null;
  readonly MemoryUsageMB?: number | null;
  readonly FileSizeMB?: number | null;
  readonly CacheHits?: number | null;
  readonly APICallsMade?: number | null;
  readonly OperationSuccess?: boolean | null;
  readonly ErrorMessage?: string | null;
  readonly ErrorCategory?: string | null;
}

/** A `def_dataimport_metric` row as a domain builds it (the `<ModuleCode>` column left out). */
export interface ModuleMetricRow {
  readonly Package: string;
  readonly OperationName?: string | null;
  readonly TargetEntity?: string | null;
  readonly ItemsProcessed?: number | null;
  readonly ElapsedSeconds?: number | null;
  readonly ItemsPerSecond?: number | null;
  readonly MemoryUsageMB?: number | null;
  readonly FileSizeMB?: number | null;
  readonly CacheHits?: number | null;
  readonly APICallsMade?: number | null;
  readonly OperationSuccess?: boolean | null;
  readonly ErrorMessage?: string | null;
  readonly ErrorCategory?: string | null;
}
