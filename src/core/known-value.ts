/**
 * The one of `values` that `value` names, ignoring case and surrounding spaces (`' Email'` is
 * `email`), or `undefined` when it names none of them or is not a string.
 */
export function knownValueOf<T extends string>(
  values: readonly T[],
  value: unknown,
): T | undefined {
  if (typeof value !== 'string') return undefined;
  const normal = value.trim().toLowerCase();
  for (const known of values) if (known === normal) return known;
  return undefined;
}
