/**
 * Attribute names and values shared by every operation domain. Each domain's `semconv.ts`
 * re-exports the ones it uses, so `import { ATTR_PACKAGE } from 'opmeter/workflow'` keeps working.
 */

/** Package (tenant or product) an operation belongs to. */
export const ATTR_PACKAGE = 'package';
/** Outcome of an operation: `success` or `failure` (some domains add `partial`). */
export const ATTR_OUTCOME = 'outcome';
/** Low-cardinality error class or code of a failed operation (OTel `error.type`). */
export const ATTR_ERROR_TYPE = 'error.type';
/** Coarse category of a failed operation (`TIMEOUT`, `IO_ERROR`, …): the `ErrorCategory` column. */
export const ATTR_OPMETER_ERROR_CATEGORY = 'opmeter.error.category';

/** `outcome` of an operation that ended well. */
export const OUTCOME_VALUE_SUCCESS = 'success';
/** `outcome` of an operation that failed. */
export const OUTCOME_VALUE_FAILURE = 'failure';

/** Package used when an operation names none. */
export const DEFAULT_PACKAGE = 'default';
