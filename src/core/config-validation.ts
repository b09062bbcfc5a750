import { OpmeterConfigError } from './config-error.js';

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys of an options type `T`, listed once in a record the compiler checks against `T` (a key
 * missing from the list, or one `T` does not have, is a type error).
 * @example optionKeys<RetentionOptions>({ days: true, everyBatches: true, chunkSize: true })
 */
export function optionKeys<T>(keys: Record<keyof T, true>): string[] {
  return Object.keys(keys);
}

/**
 * @throws OpmeterConfigError (or `error`, for a caller with an error class of its own) naming the
 * first key of `object` not in `allowed`, where it is (`at`), and the keys allowed there.
 */
export function checkKeys(
  object: object,
  allowed: readonly string[],
  at: string,
  error: new (message: string) => Error = OpmeterConfigError,
): void {
  const unknown = Object.keys(object).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new error(
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

/** @throws OpmeterConfigError unless `value` is a number above 0 and at most `max`. */
export function checkPositive(value: unknown, max: number, at: string): number {
  if (typeof value !== 'number' || !(value > 0) || !(value <= max)) {
    throw new OpmeterConfigError(
      `${at} is ${String(value)}: expected a number above 0 and at most ${max}`,
    );
  }
  return value;
}

/** The longest delay a Node.js timer takes: past it, Node fires the timer after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The one validation helper of instrumentation options: `value` when it is a positive safe
 * integer (at most `max`), `fallback` when it is undefined.
 * @throws OpmeterConfigError naming the instrumentation, the option, the value and the default.
 * @example positiveInteger('EventInstrumentation', 'maxStreams', config.maxStreams, 1000)
 */
export function positiveInteger(
  owner: string,
  option: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0 && value <= max) return value;
  const bound = max === Number.MAX_SAFE_INTEGER ? '' : ` of at most ${max}`;
  throw new OpmeterConfigError(
    `${owner}: ${option} must be a positive integer${bound}, got ${String(value)}; ` +
      `omit it to use the default ${fallback}`,
  );
}

/**
 * Every option of `defaults` read from `config` with {@link positiveInteger}.
 * @throws OpmeterConfigError naming the first option that is not a positive integer.
 * @example positiveIntegers('EventInstrumentation', config, { maxStreams: 1000 })
 */
export function positiveIntegers<K extends string>(
  owner: string,
  config: Readonly<Partial<Record<NoInfer<K>, number>>>,
  defaults: Readonly<Record<K, number>>,
): Record<K, number> {
  const read = {} as Record<K, number>;
  for (const option of Object.keys(defaults) as K[]) {
    read[option] = positiveInteger(owner, option, config[option], defaults[option]);
  }
  return read;
}
