/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LABEL_VALUE_SPECIAL = /[\\"\n\uD800-\uDFFF]/;
const TEXT_HELP_SPECIAL = /[\\\n\uD800-\uDFFF]/;
const OPENMETRICS_HELP_SPECIAL = /[\\"\n\uD800-\uDFFF]/;

/** Replaces lone UTF-16 surrogates with U+FFFD, so the UTF-8 body is always valid. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Escapes a label value for both formats: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  if (!LABEL_VALUE_SPECIAL.test(value)) return value;
  return wellFormed(value).replace(/[\\"\n]/g, escapeChar);
}

/**
 * Escapes HELP text: backslash and newline in the text format 0.0.4, and the double quote as
 * well in OpenMetrics (whose HELP is an escaped string like a label value).
 */
export function escapeHelp(text: string, openMetrics: boolean): string {
  if (!(openMetrics ? OPENMETRICS_HELP_SPECIAL : TEXT_HELP_SPECIAL).test(text)) return text;
  return wellFormed(text).replace(openMetrics ? /[\\"\n]/g : /[\\\n]/g, escapeChar);
}

function escapeChar(char: string): string {
  return char === '\n' ? '\\n' : `\\${char}`;
}
