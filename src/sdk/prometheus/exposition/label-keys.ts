import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { escapeLabelValue, wellFormed } from './escape.js';

const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]+/g;
const UNDERSCORE_RUNS = /_{2,}/g;

/**
 * A valid Prometheus label name for an attribute key: characters outside `[a-zA-Z0-9_]` become
 * `_`, runs of `_` collapse to one (so no key starts with the reserved `__`), a leading digit
 * and the empty key get a `_` prefix, and a key in `reserved` (`le` on histograms, the scope
 * labels) gets one too.
 */
export function sanitizeLabelKey(key: string, reserved: ReadonlySet<string>): string {
  let name = key.replace(INVALID_LABEL_CHARS, '_').replace(UNDERSCORE_RUNS, '_');
  if (name === '' || (name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57)) name = `_${name}`;
  return reserved.has(name) ? `_${name}` : name;
}

/** The label text of an attribute value: strings as they are, anything else as JSON. */
export function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rendered `name="value"` pairs of one attribute set, and whether two keys met on one name. */
export interface RenderedLabels {
  /** `a="x",b="y"`, without braces; empty when there are no attributes. */
  text: string;
  /** True when keys collided after sanitising and their values were joined. */
  collided: boolean;
  /**
   * True when every value is rendered exactly (a well-formed string) and no keys were merged: the
   * text then tells this set apart from any other set with the same key-to-name mapping.
   */
  exact: boolean;
}

/**
 * Renders attributes as label pairs in their own order. Keys that sanitise to the same name are
 * merged into one label whose values are joined with `;` in the order of the original keys, as
 * the OTel Prometheus compatibility spec asks. Undefined and null values are left out.
 */
export function renderLabels(
  attributes: Attributes,
  reserved: ReadonlySet<string>,
): RenderedLabels {
  const byName = new Map<string, Array<[key: string, value: string]>>();
  let exact = true;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const name = sanitizeLabelKey(key, reserved);
    if (typeof value !== 'string' || wellFormed(value) !== value) exact = false;
    const entry: [string, string] = [key, attributeText(value)];
    const group = byName.get(name);
    if (group === undefined) byName.set(name, [entry]);
    else group.push(entry);
  }
  let text = '';
  let collided = false;
  for (const [name, group] of byName) {
    let value = group[0]?.[1] ?? '';
    if (group.length > 1) {
      collided = true;
      group.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      value = group.map(([, text]) => text).join(';');
    }
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return { text, collided, exact: exact && !collided };
}
