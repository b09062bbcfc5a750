import { OpmeterConfigError } from '../../src/core/config-error.js';
import { shownValue, validateInstrumentName } from '../../src/core/instrument-name.js';

const UNIT = /^[\x20-\x7e]{0,63}$/;

/** A metric name, unit or definition that cannot be used: a programming error, thrown on first use. */
export class CustomMetricError extends OpmeterConfigError {
  override name = 'CustomMetricError';
}

/**
 * Checks `name` against the OTel instrument-name syntax.
 * @throws CustomMetricError naming the offending character and its position.
 */
export function validateMetricName(name: unknown): string {
  return validateInstrumentName(name, 'custom metric name', CustomMetricError);
}

/**
 * Checks a unit (printable ASCII, at most 63 characters, as the OTel API requires).
 * @throws CustomMetricError saying what is wrong.
 */
export function validateUnit(name: string, unit: unknown): string {
  if (typeof unit === 'string' && UNIT.test(unit)) return unit;
  throw new CustomMetricError(
    `custom metric "${name}": unit ${shownValue(unit)} is not a printable ASCII string of ` +
      'at most 63 characters; use a UCUM unit such as "By", "s", "1" or "{order}"',
  );
}
