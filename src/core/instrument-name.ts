import { OpmeterConfigError } from './config-error.js';
import { printable } from './printable.js';

/** Longest instrument name the OTel API accepts. */
export const MAX_METRIC_NAME_LENGTH = 255;
const NAME_CHAR = /[A-Za-z0-9_.\-/]/;

/**
 * Checks `name` against the OTel instrument-name syntax: a letter, then up to 254 letters,
 * digits, `_`, `.`, `-` or `/`. `what` names it in the message (`custom metric name`).
 * @throws OpmeterConfigError (or `error`) naming the offending character and its position.
 */
export function validateInstrumentName(
  name: unknown,
  what: string,
  error: new (message: string) => Error = OpmeterConfigError,
): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new error(
      `${what} ${shownValue(name)} is not a non-empty string; ` +
        'pass a dotted name such as "orders.created"',
    );
  }
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    throw new error(
      `${what} "${name.slice(0, 40)}…" is ${name.length} characters long; ` +
        `the OTel limit is ${MAX_METRIC_NAME_LENGTH}`,
    );
  }
  if (!/^[A-Za-z]$/.test(name.charAt(0))) {
    throw new error(
      `${what} "${name}" starts with ${JSON.stringify(name.charAt(0))}; ` +
        'OTel instrument names start with a letter (A-Z, a-z)',
    );
  }
  for (let index = 1; index < name.length; index++) {
    const char = name.charAt(index);
    if (!NAME_CHAR.test(char)) {
      throw new error(
        `${what} "${name}" has ${JSON.stringify(char)} at index ${index}; ` +
          'OTel instrument names allow only letters, digits, "_", ".", "-" and "/" ' +
          `(e.g. "${name.replace(/[^A-Za-z0-9_.\-/]+/g, '.')}")`,
      );
    }
  }
  return name;
}

/** A value as an error message shows it: a string quoted, anything else as it prints (never throwing). */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : printable(value);
}
