/** Counter of rows that never reached the database, by `reason` (see `DROP_REASON_*`). */
export const METRIC_ROWS_DROPPED = 'opmeter.rows.dropped';
/** Counter of rows the database accepted. */
export const METRIC_ROWS_WRITTEN = 'opmeter.rows.written';
/** Counter of rows refused on their own (bad values, unknown table, refused by the database), by `reason`. */
export const METRIC_ROWS_REJECTED = 'opmeter.rows.rejected';
/** Counter of rows written to the local spill journal while the database was unavailable or the queue long. */
export const METRIC_ROWS_SPILLED = 'opmeter.rows.spilled';
/** Counter of rows written after one of their values was fixed, by `reason` (see `FIX_REASON_*`). */
export const METRIC_ROWS_FIXED = 'opmeter.rows.fixed';

/** Attribute: why a row was dropped, rejected or fixed. */
export const ATTR_REASON = 'reason';
/** Attribute: the def_metric table (OTel database semantic convention). */
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';

/** The bounded queue was full when the row was enqueued (the new row is dropped). */
export const DROP_REASON_QUEUE_FULL = 'queue_full';
/** The row was enqueued after `close()`. */
export const DROP_REASON_CLOSED = 'closed';
/** The row was still waiting when the `close({ deadlineMs })` deadline passed. */
export const DROP_REASON_CLOSE_DEADLINE = 'close_deadline';

/**
 * The database refused the writer's configuration (unknown collation, missing table or column,
 * access denied): retrying cannot help, so the rows are dropped and one warning names the fix.
 */
export const DROP_REASON_CONFIG_ERROR = 'config_error';

/** The spill journal had reached its `maxBytes` when the row was to be spilled. */
export const DROP_REASON_SPILL_FULL = 'spill_full';
/** Writing the spill journal failed (disk full, file removed): the row was neither stored nor kept. */
export const DROP_REASON_SPILL_FAILED = 'spill_failed';

/** A NOT NULL column without default got no value. */
export const REJECT_REASON_MISSING_REQUIRED = 'missing_required';
/** A primary-key string is longer than its column (keys are never truncated). */
export const REJECT_REASON_TOO_LONG = 'too_long';
/** A value of a type the column cannot hold (e.g. text in a number column). */
export const REJECT_REASON_WRONG_TYPE = 'wrong_type';
/** A number outside the column's range. */
export const REJECT_REASON_OUT_OF_RANGE = 'out_of_range';
/** A time that is not a valid date. */
export const REJECT_REASON_INVALID_DATE = 'invalid_date';
/** NaN or ±Infinity in a NOT NULL column. */
export const REJECT_REASON_NOT_FINITE = 'not_finite';
/** The table is not declared in any YAML schema. */
export const REJECT_REASON_UNKNOWN_TABLE = 'unknown_table';
/** The database refused the row (constraint or data error). */
export const REJECT_REASON_DATABASE = 'database_rejected';
/** Reading the row threw (a throwing getter, a Proxy trap, a revoked Proxy). */
export const REJECT_REASON_UNREADABLE = 'unreadable';

/** `db.collection.name` of a row whose table name is not a string (a Symbol, an object). */
export const INVALID_TABLE_NAME = '(not a string)';

/** A string was cut to its column's length (or ErrorMessage to its limit, with a marker). */
export const FIX_REASON_TRUNCATED = 'truncated';
/** NaN or ±Infinity stored as NULL. */
export const FIX_REASON_NOT_FINITE = 'not_finite';
/** A fractional number rounded into an integer column. */
export const FIX_REASON_ROUNDED = 'rounded';
/** A numeric string converted into a number column. */
export const FIX_REASON_COERCED = 'coerced';
/** A key that is not a column of the table, ignored. */
export const FIX_REASON_UNKNOWN_COLUMN = 'unknown_column';

/** Why a row was dropped. */
export type DropReason =
  | typeof DROP_REASON_QUEUE_FULL
  | typeof DROP_REASON_CLOSED
  | typeof DROP_REASON_CLOSE_DEADLINE
  | typeof DROP_REASON_CONFIG_ERROR
  | typeof DROP_REASON_SPILL_FULL
  | typeof DROP_REASON_SPILL_FAILED;
/** Why a row was rejected. */
export type RejectReason =
  | typeof REJECT_REASON_MISSING_REQUIRED
  | typeof REJECT_REASON_TOO_LONG
  | typeof REJECT_REASON_WRONG_TYPE
  | typeof REJECT_REASON_OUT_OF_RANGE
  | typeof REJECT_REASON_INVALID_DATE
  | typeof REJECT_REASON_NOT_FINITE
  | typeof REJECT_REASON_UNKNOWN_TABLE
  | typeof REJECT_REASON_DATABASE
  | typeof REJECT_REASON_UNREADABLE;
/** Why a row was fixed. */
export type FixReason =
  | typeof FIX_REASON_TRUNCATED
  | typeof FIX_REASON_NOT_FINITE
  | typeof FIX_REASON_ROUNDED
  | typeof FIX_REASON_COERCED
  | typeof FIX_REASON_UNKNOWN_COLUMN;
