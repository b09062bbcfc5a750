/**
 * One string that names a tuple of values unambiguously, for caches keyed by several user
 * strings: each part is written with its length (`3:abc`) and an absent one as `-`, so two
 * different tuples never give the same key, whatever characters their parts hold — unlike parts
 * joined with a separator, where `('a\nb', 'c')` and `('a', 'b\nc')` meet.
 */
export function tupleKey(parts: readonly (string | number | boolean | undefined)[]): string {
  let key = '';
  for (const part of parts) {
    if (part === undefined) {
      key += '-';
      continue;
    }
    const text = String(part);
    key += `${text.length}:${text}`;
  }
  return key;
}
