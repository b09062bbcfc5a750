import { OpmeterConfigError } from '../../src/core/config-error.js';
import { printable } from '../../src/core/printable.js';

/** Longest instrument name the OTel API accepts. */
export const MAX_METRIC_NAME_LENGTH = 255;
const NAME_CHAR = /[A-Za-z0-9_.\-/]/;
const UNIT = /^[\x20-\x7e]{0,63}$/;

/** A metric name, unit or definition that cannot be used: a programming error, thrown on first use. */
export class CustomMetricError extends OpmeterConfigError {
  override name = 'CustomMetricError';
}

/**
 * Checks `name` against the OTel instrument-name syntax: a letter, then up to 254 letters,
 * digits, `_`, `.`, `-` or `/`.
 * @throws CustomMetricError naming the offending character and its position.
 */
export function validateMetricName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CustomMetricError(
      `custom metric name ${shown(name)} is not a non-empty string; ` +
        'pass a dotted name such as "orders.created"',
    );
  }
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    throw new CustomMetricError(
      `custom metric name "${name.slice(0, 40)}…" is ${name.length} characters long; ` +
        `the OTel limit is ${MAX_METRIC_NAME_LENGTH}`,
    );
  }
  if (!/^[A-Za-z]$/.test(name.charAt(0))) {
    throw new CustomMetricError(
      `custom metric name "${name}" starts with ${JSON.stringify(name.charAt(0))}; ` +
        'OTel instrument names start with a letter (A-Z, a-z)',
    );
  }
  for (let index = 1; index < name.length; index++) {
    const char = name.charAt(index);
    if (!NAME_CHAR.test(char)) {
      throw new CustomMetricError(
        `custom metric name "${name}" has ${JSON.stringify(char)} at index ${index}; ` +
          'OTel instrument names allow only letters, digits, "_", ".", "-" and "/" ' +
          `(e.g. "${name.replace(/[^A-Za-z0-9_.\-/]+/g, '.')}")`,
      );
    }
  }
  return name;
}

/**
 * Checks a unit (printable ASCII, at most 63 characters, as the OTel API requires).
 * @throws CustomMetricError saying what is wrong.
 */
export function validateUnit(name: string, unit: unknown): string {
  if (typeof unit === 'string' && UNIT.test(unit)) return unit;
  throw new CustomMetricError(
    `custom metric "${name}": unit ${shown(unit)} is not a printable ASCII string of ` +
      'at most 63 characters; use a UCUM unit such as "By", "s", "1" or "{order}"',
  );
}

/** A value as an error message shows it: a string quoted, anything else as it prints (never throwing). */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : printable(value);
}
