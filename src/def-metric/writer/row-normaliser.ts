import { randomUUID } from 'node:crypto';
import { codePointLength, cutToLength } from '../../core/column-length.js';
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

/** The truncation `marker` the shipped schemas declare for `ErrorMessage` (the guide's). */
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
 * Compiles the normaliser of one table from its column model alone (no column is known by name):
 * booleans become Y/N (text) or 1/0 (numbers), decimals are rounded to their scale, a value left
 * out is made as the column's YAML `generated` says (a UUID, a ratio of two other values) or taken
 * from its DEFAULT (CURRENT_TIMESTAMP: the enqueue time), a value may come under the column's
 * YAML `alias` instead of its name, a text is cut at its YAML `maxLength` with
 * its `marker`, and out-of-shape values are fixed (NaN → NULL, long strings cut) or the row is
 * refused with a reason, as the column's `overflow` policy says.
 */
export function compileRowNormaliser(table: TableModel): RowNormaliser {
  const names = new Set(table.columns.flatMap((c) => (c.alias ? [c.name, c.alias] : [c.name])));
  const primaryKey = new Set(table.primaryKey);
  const plans = table.columns.map((column) => ({
    column,
    convert: converterFor(column, primaryKey.has(column.name)),
    ratio: column.generated?.kind === 'ratio' ? column.generated : undefined,
    alias: column.alias === column.name ? undefined : column.alias,
  }));
  return (row, enqueuedAtMs) => {
    const fixes: FixReason[] = [];
    const values: SqlValue[] = [];
    for (const { column, convert, ratio, alias } of plans) {
      let value = row[column.name];
      if (value === undefined && alias !== undefined) value = row[alias];
      if ((value === undefined || value === null) && ratio !== undefined) {
        value = ratioOf(row[ratio.dividend], row[ratio.divisor]);
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

/** `dividend / divisor` when both are numbers, the dividend finite and the divisor above 0. */
function ratioOf(dividend: unknown, divisor: unknown): number | undefined {
  if (typeof dividend !== 'number' || typeof divisor !== 'number') return undefined;
  return divisor > 0 && Number.isFinite(dividend) ? dividend / divisor : undefined;
}

function defaultValue(column: ColumnModel, enqueuedAtMs: number): SqlValue | Rejection {
  if (column.generated?.kind === 'uuid') return randomUUID();
  const value = column.default;
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'current_timestamp') {
    const text = formatDatetime(enqueuedAtMs);
    return column.type === 'date' ? text.slice(0, 10) : text;
  }
  return column.nullable ? null : MISSING;
}

function converterFor(column: ColumnModel, inPrimaryKey: boolean): Converter {
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
      return textConverter(column, inPrimaryKey, (text, truncate, fixes) => {
        const limit = column.length ?? 1;
        if (text.length <= limit || codePointLength(text) <= limit) return text;
        if (!truncate) return TOO_LONG;
        fixes.push(FIX_REASON_TRUNCATED);
        return cutToLength(text, limit);
      });
    case 'date':
    case 'datetime':
    case 'timestamp':
      return datetimeConverter(column);
    default: {
      const maxBytes = TEXT_BYTES[column.type] ?? 65_535;
      return textConverter(column, inPrimaryKey, (text, truncate, fixes) => {
        if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
        if (!truncate) return TOO_LONG;
        fixes.push(FIX_REASON_TRUNCATED);
        return cutBytes(text, maxBytes);
      });
    }
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

/**
 * A text column: the declared `maxLength` first (cut with its `marker`), then the type's own size
 * (`fitType`); too long is cut or refused as the column's overflow policy says (default: primary-key
 * columns refuse, others cut).
 */
function textConverter(
  column: ColumnModel,
  inPrimaryKey: boolean,
  fitType: (text: string, truncate: boolean, fixes: FixReason[]) => SqlValue | Rejection,
): Converter {
  const truncate =
    (column.overflow?.action ?? (inPrimaryKey ? 'reject' : 'truncate')) === 'truncate';
  const maxLength = column.overflow?.maxLength;
  const marker = column.overflow?.marker ?? '';
  return stringConverter(column, (text, fixes) => {
    let out = text;
    if (maxLength !== undefined && out.length > maxLength && codePointLength(out) > maxLength) {
      if (!truncate) return TOO_LONG;
      out = cutToLength(out, maxLength) + marker;
      fixes.push(FIX_REASON_TRUNCATED);
    }
    return fitType(out, truncate, fixes);
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
