import { errorMessageOf } from './error-classification.js';
import type { EndedOperation } from './operation-domain.js';

/** The columns every def_metric table has for how an operation ended. */
export interface OutcomeColumns {
  readonly ElapsedSeconds: number;
  readonly OperationSuccess: boolean;
  /** The error's message for a failure (the sink cuts it), else null. */
  readonly ErrorMessage: string | null;
}

/** The outcome columns of `operation`, to spread into a domain's row. */
export function outcomeColumns(operation: EndedOperation<unknown>): OutcomeColumns {
  return {
    ElapsedSeconds: operation.durationSeconds,
    OperationSuccess: operation.success,
    ErrorMessage: operation.success ? null : errorMessageOf(operation.error),
  };
}
