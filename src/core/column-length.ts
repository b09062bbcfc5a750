/**
 * Text cut to a column's declared length, counted in characters (Unicode code points, as
 * MariaDB's utf8mb4 and SQLite count them), never splitting a surrogate pair.
 */

/** The number of code points of `text`. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _char of text) count += 1;
  return count;
}

/** `text` itself when it has at most `max` code points, else its first `max` code points. */
export function cutToLength(text: string, max: number): string {
  // Fewer UTF-16 units than `max` means fewer code points: the common case costs one compare.
  if (text.length <= max) return text;
  let end = 0;
  let count = 0;
  for (const char of text) {
    if (count === max) return text.slice(0, end);
    end += char.length;
    count += 1;
  }
  return text;
}
