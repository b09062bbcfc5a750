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
