/**
 * Holm–Bonferroni adjusted p-values, in the input order: comparing each to alpha keeps the
 * chance of even one false positive among all the tests at most alpha (uniformly more powerful
 * than plain Bonferroni). Many groups × metrics are tested at once, so this correction matters.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
