import type { Attributes } from '@opentelemetry/api';
import { tupleKey } from './tuple-key.js';

/**
 * A string that identifies an attribute set regardless of key order (`''` for none): its sorted
 * names, each with the type and text of its value, as one {@link tupleKey}, so no two different
 * sets share a key whatever characters their names and values hold.
 */
export function seriesKey(attributes: Attributes | undefined): string {
  if (attributes === undefined) return '';
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  const parts: string[] = [];
  for (const name of keys) {
    const value = attributes[name];
    parts.push(name, `${typeof value}:${String(value)}`);
  }
  return tupleKey(parts);
}
