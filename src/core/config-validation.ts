/** Thrown at construction when an instrumentation option cannot be used. */
export class InvalidConfigError extends RangeError {
  override name = 'InvalidConfigError';
}

/**
 * The one validation helper of instrumentation options: `value` when it is a positive safe
 * integer, `fallback` when it is undefined.
 * @throws InvalidConfigError naming the instrumentation, the option, the value and the default.
 * @example positiveInteger('EventInstrumentation', 'maxStreams', config.maxStreams, 1000)
 */
export function positiveInteger(
  owner: string,
  option: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new InvalidConfigError(
    `${owner}: ${option} must be a positive integer, got ${String(value)}; ` +
      `omit it to use the default ${fallback}`,
  );
}

/**
 * Every option of `defaults` read from `config` with {@link positiveInteger}.
 * @throws InvalidConfigError naming the first option that is not a positive integer.
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
