/** Coarse error categories stored in def_metric `ErrorCategory` and as `opmeter.error.category`. */
export const ErrorCategory = {
  TIMEOUT: 'TIMEOUT',
  CANCELLED: 'CANCELLED',
  IO_ERROR: 'IO_ERROR',
  NETWORK: 'NETWORK',
  PERMISSION: 'PERMISSION',
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED',
  UNKNOWN: 'UNKNOWN',
} as const;

/** One of the {@link ErrorCategory} values. */
export type ErrorCategory = (typeof ErrorCategory)[keyof typeof ErrorCategory];

/** The `error.type` value for a thrown value that is not classifiable (OTel semconv fallback). */
export const ERROR_TYPE_OTHER = '_OTHER';

const CATEGORY_BY_CODE: Readonly<Record<string, ErrorCategory>> = {
  ETIMEDOUT: 'TIMEOUT',
  ESOCKETTIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  ABORT_ERR: 'CANCELLED',
  ECONNREFUSED: 'NETWORK',
  ECONNRESET: 'NETWORK',
  ECONNABORTED: 'NETWORK',
  EHOSTUNREACH: 'NETWORK',
  ENETUNREACH: 'NETWORK',
  ENOTFOUND: 'NETWORK',
  EAI_AGAIN: 'NETWORK',
  EPIPE: 'NETWORK',
  UND_ERR_SOCKET: 'NETWORK',
  ENOENT: 'NOT_FOUND',
  EACCES: 'PERMISSION',
  EPERM: 'PERMISSION',
  EROFS: 'PERMISSION',
  EIO: 'IO_ERROR',
  EISDIR: 'IO_ERROR',
  ENOTDIR: 'IO_ERROR',
  EEXIST: 'IO_ERROR',
  EBUSY: 'IO_ERROR',
  ENOSPC: 'RESOURCE_EXHAUSTED',
  EMFILE: 'RESOURCE_EXHAUSTED',
  ENFILE: 'RESOURCE_EXHAUSTED',
  ENOMEM: 'RESOURCE_EXHAUSTED',
  ERR_INVALID_ARG_TYPE: 'VALIDATION',
  ERR_INVALID_ARG_VALUE: 'VALIDATION',
  ERR_OUT_OF_RANGE: 'VALIDATION',
};

const CATEGORY_BY_NAME: Readonly<Record<string, ErrorCategory>> = {
  TimeoutError: 'TIMEOUT',
  AbortError: 'CANCELLED',
  TypeError: 'VALIDATION',
  RangeError: 'VALIDATION',
  SyntaxError: 'VALIDATION',
  ValidationError: 'VALIDATION',
  ZodError: 'VALIDATION',
};

const MAX_ERROR_TYPE_LENGTH = 64;
const SAFE_ERROR_TYPE = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/** The message of a thrown value whose properties cannot be read (a getter or proxy that throws). */
export const UNREADABLE_ERROR_MESSAGE = 'unreadable error value';

/**
 * Low-cardinality `error.type` of a thrown value: its string `code` when it has one
 * (`ECONNRESET`), else its class name (`TypeError`, `Error`), else `_OTHER` (also when reading
 * them throws). Never its message.
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return ERROR_TYPE_OTHER;
  try {
    return errorTypeOfObject(error);
  } catch {
    return ERROR_TYPE_OTHER;
  }
}

function errorTypeOfObject(error: object): string {
  const code = (error as { code?: unknown }).code;
  if (isSafeErrorType(code)) return code;
  const name = (error as { name?: unknown }).name;
  if (isSafeErrorType(name) && name !== 'Error') return name;
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (isSafeErrorType(ctor) && ctor !== 'Object') return ctor;
  return ERROR_TYPE_OTHER;
}

/** `value` if it is usable as an `error.type` (a short identifier-like string), else `_OTHER`. */
export function safeErrorType(value: unknown): string {
  return isSafeErrorType(value) ? value : ERROR_TYPE_OTHER;
}

/** The {@link ErrorCategory} of a thrown value, from its code first, then its class name. */
export function errorCategoryOf(error: unknown): ErrorCategory {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  try {
    return categoryOfObject(error);
  } catch {
    return 'UNKNOWN';
  }
}

function categoryOfObject(error: object): ErrorCategory {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const byCode = CATEGORY_BY_CODE[code];
    if (byCode !== undefined) return byCode;
    if (code.startsWith('ERR_INVALID')) return 'VALIDATION';
  }
  const name = (error as { name?: unknown }).name;
  if (typeof name === 'string') {
    const byName = CATEGORY_BY_NAME[name];
    if (byName !== undefined) return byName;
    if (/timeout/i.test(name)) return 'TIMEOUT';
  }
  return 'UNKNOWN';
}

/**
 * The human-readable message of any thrown value (for def_metric rows, never for attributes);
 * {@link UNREADABLE_ERROR_MESSAGE} when the value cannot be read or printed.
 */
export function errorMessageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  try {
    if (error instanceof Error) return error.message || error.name;
    return JSON.stringify(error) ?? String(error);
  } catch {
    try {
      return String(error);
    } catch {
      return UNREADABLE_ERROR_MESSAGE;
    }
  }
}

function isSafeErrorType(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ERROR_TYPE_LENGTH &&
    SAFE_ERROR_TYPE.test(value)
  );
}
