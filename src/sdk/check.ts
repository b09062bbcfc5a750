import { OpmeterConfigError } from './errors.js';

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @throws OpmeterConfigError naming the first key of `object` not in `allowed`. */
export function checkKeys(object: object, allowed: readonly string[], at: string): void {
  const unknown = Object.keys(object).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new OpmeterConfigError(
      `${at} has an unknown key '${unknown}': allowed keys are ${allowed.join(', ')}`,
    );
  }
}

/** @throws OpmeterConfigError unless `value` is a whole number in `[min, max]`. */
export function checkInteger(value: unknown, min: number, max: number, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new OpmeterConfigError(
      `${at} is ${String(value)}: expected a whole number between ${min} and ${max}`,
    );
  }
  return value;
}
