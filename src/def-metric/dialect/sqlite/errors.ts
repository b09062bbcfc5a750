import type { WriteErrorKind } from '../dialect.js';

const SQLITE_ERROR = 1;
const SQLITE_PERM = 3;
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;
const SQLITE_AUTH = 23;
const SQLITE_NOTADB = 26;
/** Primary result codes that retrying cannot fix: missing table or column, permissions, bad file. */
const CONFIG_CODES = new Set([
  SQLITE_ERROR,
  SQLITE_PERM,
  SQLITE_READONLY,
  SQLITE_CANTOPEN,
  SQLITE_AUTH,
  SQLITE_NOTADB,
]);
const SQLITE_CONSTRAINT = 19;
const SQLITE_TOOBIG = 18;
const SQLITE_MISMATCH = 20;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/**
 * Classifies a `node:sqlite` error: constraint, size and type errors reject the row; a missing
 * table or column, a read-only or unopenable file are `config`; busy, locked and I/O errors are retried.
 */
export function classifySqliteError(error: unknown): WriteErrorKind {
  const { errcode } = (error ?? {}) as { errcode?: unknown };
  if (typeof errcode !== 'number') return 'retry';
  if (errcode === SQLITE_CONSTRAINT_PRIMARYKEY || errcode === SQLITE_CONSTRAINT_UNIQUE)
    return 'duplicate';
  const primary = errcode & 0xff;
  if (primary === SQLITE_CONSTRAINT || primary === SQLITE_TOOBIG || primary === SQLITE_MISMATCH)
    return 'reject';
  if (CONFIG_CODES.has(primary)) return 'config';
  return 'retry';
}
