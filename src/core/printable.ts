import { UNPRINTABLE_VALUE } from './self-metrics.js';

/** `String(value)`, or {@link UNPRINTABLE_VALUE} for a value that has no string form (a throwing `toString`, a null prototype). */
export function printable(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return UNPRINTABLE_VALUE;
  }
}
