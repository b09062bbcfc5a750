import { randomUUID } from 'node:crypto';
import type { DefMetricRow } from '../../core/row-sink.js';
import type { SqlValue } from '../dialect/dialect.js';
import { formatDatetime, parseDatetime } from '../schema/datetime.js';
import type { ColumnModel, ColumnType, TableModel } from '../schema/table-model.js';
import {
  FIX_REASON_COERCED,
  FIX_REASON_NOT_FINITE,
  FIX_REASON_ROUNDED,
  FIX_REASON_TRUNCATED,
  FIX_REASON_UNKNOWN_COLUMN,
  type FixReason,
  REJECT_REASON_INVALID_DATE,
  REJECT_REASON_MISSING_REQUIRED,
  REJECT_REASON_NOT_FINITE,
  REJECT_REASON_OUT_OF_RANGE,
  REJECT_REASON_TOO_LONG,
  REJECT_REASON_WRONG_TYPE,
  type RejectReason,
} from '../semconv.js';

/** The outcome of normalising one row: values in column order, or why the row was refused. */
export type NormaliseResult =
  | { readonly ok: true; readonly values: SqlValue[]; readonly fixes: readonly FixReason[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly column: string };

/** Normalises one raw row; `enqueuedAtMs` fills DATETIME columns that default to CURRENT_TIMESTAMP. */
export type RowNormaliser = (row: DefMetricRow, enqueuedAtMs: number) => NormaliseResult;

/** Options of {@link compileRowNormaliser}. */
export interface RowNormaliserOptions {
  /** ErrorMessage longer than this is cut and marked `... (truncated)` (default 5000, as the guide). */
  readonly errorMessageMaxLength?: number;
}

/** Marker appended to a cut ErrorMessage. */
export const TRUNCATION_MARKER = '... (truncated)';

type Value = NonNullable<DefMetricRow[string]>;
type Converter = (value: Value, fixes: FixReason[]) => SqlValue | Rejection;

class Rejection {
  constructor(readonly reason: RejectReason) {}
}
const WRONG_TYPE = new Rejection(REJECT_REASON_WRONG_TYPE);
const OUT_OF_RANGE = new Rejection(REJECT_REASON_OUT_OF_RANGE);
const INVALID_DATE = new Rejection(REJECT_REASON_INVALID_DATE);
const NOT_FINITE = new Rejection(REJECT_REASON_NOT_FINITE);
const TOO_LONG = new Rejection(REJECT_REASON_TOO_LONG);
const MISSING = new Rejection(REJECT_REASON_MISSING_REQUIRED);

const INTEGER_BITS: Partial<Record<ColumnType, number>> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  bigint: 64,
};
const TEXT_BYTES: Partial<Record<ColumnType, number>> = {
  tinytext: 255,
  text: 65_535,
  mediumtext: 16_777_215,
  longtext: 4_294_967_295,
};
/** The DATETIME range of MySQL/MariaDB: 1000-01-01 00:00:00 to 9999-12-31 23:59:59. */
const MIN_DATETIME_MS = Date.UTC(1000, 0, 1);
const MAX_DATETIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
const NUMERIC_STRING = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Compiles the normaliser of one table from its column model: booleans become Y/N (text) or 1/0
 * (numbers), decimals are rounded to their scale (ElapsedSeconds to 3, MB to 2), ItemsPerSecond is
 * computed when absent, ErrorMessage is cut with a marker, AxionImportGuid gets a UUID, DATETIME
 * columns defaulting to CURRENT_TIMESTAMP get the enqueue time, and out-of-shape values are fixed
 * (NaN → NULL, long strings cut) or the row is refused with a reason.
 */
export function compileRowNormaliser(
  table: TableModel,
  options: RowNormaliserOptions = {},
): RowNormaliser {
  const maxError = options.errorMessageMaxLength ?? 5_000;
  const names = new Set(table.columns.map((c) => c.name));
  const primaryKey = new Set(table.primaryKey);
  const plans = table.columns.map((column) => ({
    column,
    convert: converterFor(column, primaryKey.has(column.name), maxError),
  }));
  const derivesRate =
    names.has('ItemsPerSecond') && names.has('ItemsProcessed') && names.has('ElapsedSeconds');
  return (row, enqueuedAtMs) => {
    const fixes: FixReason[] = [];
    const values: SqlValue[] = [];
    for (const { column, convert } of plans) {
      let value = row[column.name];
      if (
        (value === undefined || value === null) &&
        column.name === 'ItemsPerSecond' &&
        derivesRate
      ) {
        value = itemsPerSecond(row);
      }
      let out: SqlValue | Rejection;
      if (value === undefined || (value === null && !column.nullable)) {
        out = defaultValue(column, enqueuedAtMs);
      } else if (value === null) {
        out = null;
      } else {
        out = convert(value, fixes);
      }
      if (out instanceof Rejection) return { ok: false, reason: out.reason, column: column.name };
      values.push(out);
    }
    for (const key in row) {
      if (!names.has(key)) {
        fixes.push(FIX_REASON_UNKNOWN_COLUMN);
        break;
      }
    }
    return { ok: true, values, fixes };
  };
}

function itemsPerSecond(row: DefMetricRow): number | undefined {
  const items = row.ItemsProcessed;
  const elapsed = row.ElapsedSeconds;
  if (typeof items !== 'number' || typeof elapsed !== 'number') return undefined;
  return elapsed > 0 && Number.isFinite(items) ? items / elapsed : undefined;
}

function defaultValue(column: ColumnModel, enqueuedAtMs: number): SqlValue | Rejection {
  if (column.name === 'AxionImportGuid') return randomUUID();
  const value = column.default;
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'current_timestamp') {
    const text = formatDatetime(enqueuedAtMs);
    return column.type === 'date' ? text.slice(0, 10) : text;
  }
  return column.nullable ? null : MISSING;
}

function converterFor(column: ColumnModel, inPrimaryKey: boolean, maxError: number): Converter {
  const bits = INTEGER_BITS[column.type];
  if (bits !== undefined) return integerConverter(column, bits);
  switch (column.type) {
    case 'decimal':
      return decimalConverter(column);
    case 'float':
    case 'double':
      return (value, fixes) => finiteOrNull(column, toNumber(value, fixes), fixes);
    case 'char':
    case 'varchar':
      return stringConverter(column, (text, fixes) => {
        const limit = column.length ?? 1;
        if (text.length <= limit || codePointLength(text) <= limit) return text;
        if (inPrimaryKey) return TOO_LONG;
        fixes.push(FIX_REASON_TRUNCATED);
        return cutCodePoints(text, limit);
      });
    case 'date':
    case 'datetime':
    case 'timestamp':
      return datetimeConverter(column);
    default:
      return textConverter(column, maxError);
  }
}

function toNumber(value: Value, fixes: FixReason[]): number | Rejection {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) {
    fixes.push(FIX_REASON_COERCED);
    return Number(value);
  }
  return WRONG_TYPE;
}

function finiteOrNull(
  column: ColumnModel,
  value: number | Rejection,
  fixes: FixReason[],
): SqlValue | Rejection {
  if (value instanceof Rejection || Number.isFinite(value)) return value;
  if (!column.nullable) return NOT_FINITE;
  fixes.push(FIX_REASON_NOT_FINITE);
  return null;
}

function integerConverter(column: ColumnModel, bits: number): Converter {
  const max = column.unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  const min = column.unsigned ? 0 : -(2 ** (bits - 1));
  return (value, fixes) => {
    const number = finiteOrNull(column, toNumber(value, fixes), fixes);
    if (typeof number !== 'number') return number;
    let integer = number;
    if (!Number.isInteger(integer)) {
      integer = Math.round(integer);
      fixes.push(FIX_REASON_ROUNDED);
    }
    if (integer > max || integer < min || !Number.isSafeInteger(integer)) return OUT_OF_RANGE;
    return integer;
  };
}

function decimalConverter(column: ColumnModel): Converter {
  const scale = column.scale ?? 0;
  const limit = 10 ** ((column.precision ?? 10) - scale);
  return (value, fixes) => {
    const number = finiteOrNull(column, toNumber(value, fixes), fixes);
    if (typeof number !== 'number') return number;
    const rounded = Number(number.toFixed(scale));
    if (Math.abs(rounded) >= limit || (column.unsigned && rounded < 0)) return OUT_OF_RANGE;
    return rounded;
  };
}

function stringConverter(
  column: ColumnModel,
  fitText: (text: string, fixes: FixReason[]) => SqlValue | Rejection,
): Converter {
  return (value, fixes) => {
    if (typeof value === 'string') return fitText(value, fixes);
    if (typeof value === 'boolean') return fitText(value ? 'Y' : 'N', fixes);
    if (typeof value === 'number') {
      const number = finiteOrNull(column, value, fixes);
      return typeof number === 'number' ? fitText(String(number), fixes) : number;
    }
    return WRONG_TYPE;
  };
}

function textConverter(column: ColumnModel, maxError: number): Converter {
  const maxBytes = TEXT_BYTES[column.type] ?? 65_535;
  return stringConverter(column, (text, fixes) => {
    let out = text;
    if (
      column.name === 'ErrorMessage' &&
      out.length > maxError &&
      codePointLength(out) > maxError
    ) {
      out = cutCodePoints(out, maxError) + TRUNCATION_MARKER;
      fixes.push(FIX_REASON_TRUNCATED);
    }
    if (out.length * 3 > maxBytes && Buffer.byteLength(out) > maxBytes) {
      out = cutBytes(out, maxBytes);
      fixes.push(FIX_REASON_TRUNCATED);
    }
    return out;
  });
}

function datetimeConverter(column: ColumnModel): Converter {
  return (value) => {
    let epochMs: number | undefined;
    if (value instanceof Date) epochMs = value.getTime();
    else if (typeof value === 'number') epochMs = value;
    else if (typeof value === 'string') epochMs = parseDatetime(value);
    else return WRONG_TYPE;
    if (epochMs === undefined || !(epochMs >= MIN_DATETIME_MS && epochMs <= MAX_DATETIME_MS)) {
      return INVALID_DATE;
    }
    const text = formatDatetime(epochMs);
    return column.type === 'date' ? text.slice(0, 10) : text;
  };
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _char of text) count += 1;
  return count;
}

function cutCodePoints(text: string, limit: number): string {
  let end = 0;
  let count = 0;
  for (const char of text) {
    if (count === limit) break;
    end += char.length;
    count += 1;
  }
  return text.slice(0, end);
}

function cutBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
