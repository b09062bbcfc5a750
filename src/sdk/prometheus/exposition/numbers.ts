/** A sample value: integers without exponent, `+Inf`, `-Inf` and `NaN` as both formats spell them. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) {
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** A bucket bound in the text format 0.0.4: the shortest JavaScript rendering, `+Inf` last. */
export function formatTextBound(bound: number): string {
  return bound === Number.POSITIVE_INFINITY ? '+Inf' : String(bound);
}

/**
 * A bucket bound as an OpenMetrics canonical number: the shortest round-trip digits, in
 * exponent form below 1e-4 and from 1e6 on (`1e-05`, `0.0001`, `100000.0`, `1e+06`), and
 * always with a fraction or an exponent (`1.0`, not `1`).
 */
export function formatCanonicalBound(bound: number): string {
  if (bound === Number.POSITIVE_INFINITY) return '+Inf';
  if (bound === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(bound)) return 'NaN';
  if (bound === 0) return '0.0';
  const [mantissa = '', exponentText = '0'] = bound.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(bound);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}
