/**
 * The complementary error function, erfc(x), with a fractional error below 1.2e-7 everywhere
 * (a Chebyshev fit of exp(−x²)·erfc), accurate enough for p-values down to 1e-300.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/** P(Z > z) for a standard normal Z: the one-sided upper-tail p-value of a z statistic. */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return 1;
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Which direction a one-sided test looks in, or both. */
export type Alternative = 'greater' | 'less' | 'two-sided';

/** The p-value of a z statistic for the given alternative hypothesis. */
export function pValueOfZ(z: number, alternative: Alternative): number {
  if (alternative === 'greater') return normalUpperTail(z);
  if (alternative === 'less') return normalUpperTail(-z);
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
