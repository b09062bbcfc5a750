import type { Attributes } from '@opentelemetry/api';
import { type InputGuard, MAX_ATTRIBUTE_VALUE_LENGTH } from '../../src/core/input-guard.js';
import { tupleKey } from '../../src/core/tuple-key.js';
import type { Tags } from './types.js';

/**
 * Tags as OTel attributes, through the {@link InputGuard}: strings longer than the limit are
 * truncated, values that are neither strings, booleans nor finite numbers are stringified
 * (both counted on `opmeter.input.adjusted`), `undefined` values are dropped. Tags that need no
 * change are returned as they are, so the common case allocates nothing.
 */
export function normaliseTags(tags: Tags | undefined, guard: InputGuard): Attributes | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (isClean(tags)) return tags as Attributes;
  const clean: Attributes = {};
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    if (value === undefined) continue;
    clean[key] =
      typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
        ? value
        : guard.text(value, key);
  }
  return clean;
}

/**
 * A string that identifies a tag set regardless of key order (`''` for no tags): its sorted
 * names, each with the type and text of its value, as one {@link tupleKey}, so no two different
 * tag sets share a key whatever characters their names and values hold.
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

function isClean(tags: Tags): boolean {
  for (const key in tags) {
    const value = tags[key];
    if (typeof value === 'string') {
      if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) return false;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return false;
    } else if (typeof value !== 'boolean') {
      return false;
    }
  }
  return true;
}
