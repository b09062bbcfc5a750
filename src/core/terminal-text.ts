/**
 * Characters that a terminal interprets instead of printing: C0 controls (ESC, BEL, BS, CR, LF,
 * TAB…), DEL, C1 controls (CSI U+009B among them), the line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes stored text safe to print on a terminal: each control or reordering character becomes a
 * visible escape (`\n`, `\t`, `\x1b`, `\u202e`), so a value can neither move the cursor, recolour,
 * clear the screen nor break a table's alignment. Other text is returned unchanged.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (ch) => NAMED[ch] ?? escapeCode(ch.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
