/** Thrown when an exported batch file cannot be read back; the message says where and why. */
export class BatchFormatError extends Error {
  override name = 'BatchFormatError';
}

/**
 * Expected type of a field: a number >= 0, Infinity or NaN (`number`: a figure can overflow), a string, either of them or null
 * (`?`), a file status, a map of names to counts, or a nested shape.
 */
export type FieldKind =
  | 'number'
  | 'number?'
  | 'string'
  | 'string?'
  | 'boolean'
  | 'status'
  | 'counts'
  | Shape;

/** Expected fields of an object. */
export interface Shape {
  readonly [field: string]: FieldKind;
}

/** Checks that `value` has every field of `shape` with the right type. @throws BatchFormatError */
export function checkShape(value: unknown, shape: Shape, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BatchFormatError(`${path}: expected an object, got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  for (const [field, kind] of Object.entries(shape)) {
    checkField(record[field], kind, `${path}.${field}`);
  }
}

function checkField(value: unknown, kind: FieldKind, path: string): void {
  if (typeof kind === 'object') {
    checkShape(value, kind, path);
    return;
  }
  if (kind.endsWith('?') && value === null) return;
  const ok = {
    number: isCount(value),
    'number?': isCount(value),
    string: typeof value === 'string',
    'string?': typeof value === 'string',
    boolean: typeof value === 'boolean',
    status: value === 'success' || value === 'error' || value === 'skipped',
    counts:
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every(isCount),
  }[kind];
  if (!ok)
    throw new BatchFormatError(`${path}: expected ${expected(kind)}, got ${describe(value)}`);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && (value >= 0 || Number.isNaN(value));
}

function expected(kind: Exclude<FieldKind, Shape>): string {
  switch (kind) {
    case 'number':
      return 'a number >= 0';
    case 'number?':
      return 'a number >= 0 or null';
    case 'string?':
      return 'a string or null';
    case 'status':
      return 'one of success, error, skipped';
    case 'counts':
      return 'an object of names to counts';
    default:
      return `a ${kind}`;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
