import { type ExpositionFormat, OPENMETRICS_FORMAT, TEXT_FORMAT } from './exposition/format.js';

/** One element of an `Accept` or `Accept-Encoding` list. */
interface Preference {
  value: string;
  params: Map<string, string>;
  q: number;
}

/** Splits `a;x=1;q=0.5, b` into values with lowercased parameters and their q (default 1). */
function parsePreferences(header: string): Preference[] {
  const preferences: Preference[] = [];
  for (const element of header.split(',')) {
    const [value = '', ...rest] = element.split(';').map((part) => part.trim());
    if (value === '') continue;
    const params = new Map<string, string>();
    for (const param of rest) {
      const equals = param.indexOf('=');
      if (equals <= 0) continue;
      const key = param.slice(0, equals).trim().toLowerCase();
      params.set(
        key,
        param
          .slice(equals + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    preferences.push({ value: value.toLowerCase(), params, q: q >= 0 && q <= 1 ? q : 0 });
  }
  return preferences;
}

/**
 * The q a client gives a media type: that of its most specific matching range (`type/sub` with
 * a matching version, then `type/sub`, `type/*`, `*\/*`), or 0 when none matches.
 */
function mediaQuality(preferences: Preference[], mediaType: string, version: string): number {
  let best = -1;
  let q = 0;
  const [type] = mediaType.split('/');
  for (const preference of preferences) {
    const asked = preference.params.get('version');
    let specificity = -1;
    if (preference.value === mediaType) {
      if (asked === undefined) specificity = 2;
      else if (asked === version) specificity = 3;
    } else if (preference.value === `${type}/*`) specificity = 1;
    else if (preference.value === '*/*') specificity = 0;
    if (specificity > best) {
      best = specificity;
      q = preference.q;
    }
  }
  return q;
}

/**
 * The format for an `Accept` header: OpenMetrics 1.0.0 when the client prefers it (a higher q
 * than the text format), else the text format 0.0.4, which is also the answer to an absent,
 * unknown or tied header.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept.trim() === '') return TEXT_FORMAT;
  const preferences = parsePreferences(accept);
  const openMetrics = mediaQuality(preferences, 'application/openmetrics-text', '1.0.0');
  const text = mediaQuality(preferences, 'text/plain', '0.0.4');
  return openMetrics > 0 && openMetrics > text ? OPENMETRICS_FORMAT : TEXT_FORMAT;
}

/**
 * Whether to gzip for an `Accept-Encoding` header: `gzip` (or `x-gzip`, or `*`) with q > 0, and
 * not ranked below an explicit `identity`. `gzip;q=0` means no.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let gzip: number | undefined;
  let wildcard: number | undefined;
  let identity = 0;
  for (const { value, q } of parsePreferences(acceptEncoding)) {
    if (value === 'gzip' || value === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (value === '*') wildcard = q;
    else if (value === 'identity') identity = q;
  }
  const quality = gzip ?? wildcard ?? 0;
  return quality > 0 && quality >= identity;
}
