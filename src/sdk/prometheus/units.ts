/** UCUM unit (OTel `unit`) to the Prometheus base-unit word used as a metric name suffix. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  bit: 'bits',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

/** UCUM unit as the denominator of a rate (`By/s` → `bytes_per_second`). */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  min: 'minute',
  h: 'hour',
  d: 'day',
  wk: 'week',
  mo: 'month',
  a: 'year',
};

/**
 * The Prometheus unit suffix for a UCUM unit, following the OTel → Prometheus compatibility rules:
 * `s` → `seconds`, `By` → `bytes`, `By/s` → `bytes_per_second`, `{event}` → `` (annotations are
 * not units), `1` → `ratio` on gauges and nothing elsewhere; unknown units are kept, sanitised.
 */
export function prometheusUnit(unit: string, isGauge: boolean): string {
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  if (plain === '') return '';
  if (plain === '1') return isGauge ? 'ratio' : '';
  const slash = plain.indexOf('/');
  const numerator = slash < 0 ? plain : plain.slice(0, slash);
  const denominator = slash < 0 ? '' : plain.slice(slash + 1);
  const words: string[] = [];
  if (numerator !== '' && numerator !== '1') words.push(UNIT_WORDS[numerator] ?? numerator);
  if (denominator !== '')
    words.push(`per_${PER_UNIT_WORDS[denominator] ?? UNIT_WORDS[denominator] ?? denominator}`);
  return sanitize(words.join('_'));
}

/** Replaces characters Prometheus does not allow in names with `_` and trims stray underscores. */
export function sanitize(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '');
}
