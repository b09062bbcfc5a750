import type { Attributes } from '@opentelemetry/api';
import { type InputGuard, MAX_ATTRIBUTE_VALUE_LENGTH } from '../../src/core/input-guard.js';
import { readSafely } from '../../src/core/safe-read.js';
import {
  ADJUSTMENT_NOT_AN_OBJECT,
  ADJUSTMENT_RESERVED_TAG,
  ADJUSTMENT_TOO_MANY_TAGS,
} from '../../src/core/self-metrics.js';
import { ATTR_OPMETER_OVERFLOW } from './semconv.js';
import type { Tags } from './types.js';

/** Most tags one measurement keeps; further ones are dropped (counted `too_many_tags`). */
export const MAX_TAGS = 64;

/**
 * Tags as OTel attributes, through the {@link InputGuard}, read once into a plain object of
 * opmeter's own, so that nothing after this call reads the caller's object again (a getter or a
 * Proxy cannot answer differently later, and a tags object changed after the call changes nothing
 * recorded). Only own enumerable string keys are read, as OTel reads attributes. Strings longer
 * than the limit are truncated, values that are neither strings, booleans nor finite numbers are
 * stringified (both counted on `opmeter.input.adjusted`), `undefined` values are dropped. Past
 * {@link MAX_TAGS} tags, the first ones by name are kept, whatever order they came in, and the
 * drop is counted (`too_many_tags`); a tag named `opmeter.overflow` is dropped and counted
 * (`reserved_tag`), since that name marks the series past a metric's bound. Tags that are not an
 * object count as none (`not_an_object`); tags that cannot be read or listed (a throwing getter, a
 * revoked Proxy, a Proxy whose `ownKeys` throws) count as none too (`unreadable`): the measurement
 * is recorded without tags.
 */
export function normaliseTags(tags: Tags | undefined, guard: InputGuard): Attributes | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (typeof tags !== 'object') {
    guard.count('tags', ADJUSTMENT_NOT_AN_OBJECT);
    return undefined;
  }
  return readSafely(guard, 'tags', readTags, guard, 0, tags);
}

/** `tags` as attributes (see {@link normaliseTags}), adjustments counted by `this`. */
function readTags(this: InputGuard, _: number, tags: Tags | undefined): Attributes | undefined {
  if (tags === undefined) return undefined;
  const names = Object.keys(tags);
  if (names.length > MAX_TAGS) return firstTagsByName(this, tags, names);
  const clean: Attributes = {};
  for (const name of names) putTag(this, clean, name, tags[name]);
  return clean;
}

/** The tags of `tags` (listed as `names`, more than {@link MAX_TAGS}): the first ones by name. */
function firstTagsByName(guard: InputGuard, tags: Tags, names: readonly string[]): Attributes {
  const given: [string, unknown][] = [];
  for (const name of names) {
    const value = tags[name];
    if (value !== undefined && !isReserved(guard, name)) given.push([name, value]);
  }
  if (given.length > MAX_TAGS) {
    guard.count('tags', ADJUSTMENT_TOO_MANY_TAGS);
    given.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    given.length = MAX_TAGS;
  }
  const clean: Attributes = {};
  for (const [name, value] of given) putTag(guard, clean, name, value);
  return clean;
}

/** Whether `name` is opmeter's overflow tag, which a caller may not set (counted when it is). */
function isReserved(guard: InputGuard, name: string): boolean {
  if (name !== ATTR_OPMETER_OVERFLOW) return false;
  guard.count(name, ADJUSTMENT_RESERVED_TAG);
  return true;
}

/** Puts the tag `name` = `value` into `clean` as an attribute, unless it is undefined or reserved. */
function putTag(guard: InputGuard, clean: Attributes, name: string, value: unknown): void {
  if (value === undefined || isReserved(guard, name)) return;
  const kept = isAttributeValue(value) ? value : guard.text(value, name);
  // `clean.__proto__ = v` would set the prototype (or do nothing): the tag is a property like any other
  if (name === '__proto__') {
    Object.defineProperty(clean, name, {
      value: kept,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    clean[name] = kept;
  }
}

/** Whether `value` is kept as it is: a boolean, a finite number or a string within the limit. */
function isAttributeValue(value: unknown): value is boolean | number | string {
  if (typeof value === 'string') return value.length <= MAX_ATTRIBUTE_VALUE_LENGTH;
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
