import type { WriteErrorKind } from '../dialect.js';

const DUPLICATE_CODES = new Set(['ER_DUP_ENTRY']);
/** Errors that retrying cannot fix: refused access, missing database, table or column, bad collation. */
const CONFIG_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_BAD_DB_ERROR',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_PARSE_ERROR',
  'ER_UNKNOWN_COLLATION',
  'ER_UNKNOWN_CHARACTER_SET',
  'ER_COLLATION_CHARSET_MISMATCH',
]);

/**
 * Classifies a mysql2 error: data (SQLSTATE 22xxx) and constraint (23xxx) errors reject the row,
 * configuration errors (access denied, unknown database, table, column or collation) are `config`,
 * anything else (connection refused or lost, timeouts, deadlocks, too many connections) is retried.
 */
export function classifyMysqlError(error: unknown): WriteErrorKind {
  const { code, sqlState } = (error ?? {}) as { code?: unknown; sqlState?: unknown };
  if (typeof code === 'string' && DUPLICATE_CODES.has(code)) return 'duplicate';
  if (typeof code === 'string' && CONFIG_CODES.has(code)) return 'config';
  if (typeof sqlState === 'string' && (sqlState.startsWith('22') || sqlState.startsWith('23')))
    return 'reject';
  return 'retry';
}
