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

/** Declared lengths (characters) of the `def_workflow_metric` text columns: values are cut to them. */
export const WORKFLOW_METRIC_LENGTHS = {
  WorkflowCode: 255,
  Package: 100,
  WorkflowName: 255,
  ExecutionMode: 20,
} as const satisfies { readonly [C in keyof WorkflowMetricRow]?: number };

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

/** Declared lengths (characters) of the `def_api_metric` text columns: values are cut to them. */
export const API_METRIC_LENGTHS = {
  EndpointCode: 255,
  Package: 100,
  HTTPMethod: 10,
  Endpoint: 500,
} as const satisfies { readonly [C in keyof ApiMetricRow]?: number };

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

/** Declared lengths (characters) of the `def_notify_metric` text columns: values are cut to them. */
export const NOTIFY_METRIC_LENGTHS = {
  NotifyCode: 255,
  Package: 100,
  Channel: 50,
} as const satisfies { readonly [C in keyof NotifyMetricRow]?: number };

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

/** Declared lengths (characters) of the `def_batch_metric` text columns: values are cut to them. */
export const BATCH_METRIC_LENGTHS = {
  BatchCode: 255,
  Package: 100,
  OperationName: 255,
  TargetEntity: 255,
  ErrorCategory: 50,
} as const satisfies { readonly [C in keyof BatchMetricRow]?: number };

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

/** Declared lengths (characters) of the `def_dataimport_metric` text columns: values are cut to them. */
export const MODULE_METRIC_LENGTHS = {
  Package: 100,
  OperationName: 255,
  TargetEntity: 255,
  ErrorCategory: 50,
} as const satisfies { readonly [C in keyof ModuleMetricRow]?: number };

/** Declared length (characters) of the `<ModuleCode>` column of a module table. */
export const MODULE_CODE_LENGTH = 255;
