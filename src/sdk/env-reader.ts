import { isIP } from 'node:net';
import { isHeaderName } from './otlp/header-check.js';
import { redactedUrl } from './redact-url.js';

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The environment as opmeter reads it: `process.env` or any object with the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads typed values from `OTEL_*` variables. An invalid value never throws: it is recorded in
 * {@link EnvReader.warnings} (naming the variable, the bad value and a good one) and read as unset,
 * so the documented default applies. Empty values count as unset, as the OTel spec says.
 */
export class EnvReader {
  /** One line per invalid value seen, in reading order. */
  readonly warnings: string[] = [];
  readonly #env: Env;

  /** Reads from `env`. */
  constructor(env: Env) {
    this.#env = env;
  }

  /** The trimmed value, or `undefined` when unset or empty. */
  string(name: string): string | undefined {
    const value = this.#env[name];
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** The first of `names` that is set (metrics-specific variables before general ones). */
  first(names: readonly string[]): { name: string; raw: string } | undefined {
    for (const name of names) {
      const raw = this.string(name);
      if (raw !== undefined) return { name, raw };
    }
    return undefined;
  }

  /** `true` only for `true` (any case), `false` only for `false`; anything else warns. */
  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    this.warn(name, raw, 'true or false');
    return undefined;
  }

  /** A whole number in `[min, max]`. */
  integer(name: string, min: number, max: number, example: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
    this.warn(name, raw, `a whole number between ${min} and ${max}, e.g. ${example}`);
    return undefined;
  }

  /** One of the keys of `choices` (case-insensitive), mapped to its value. */
  choice<T>(name: string, choices: Readonly<Record<string, T>>): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return this.pick(name, raw, choices);
  }

  /**
   * Maps `raw` (read from `name`) through `choices`, warning when it is not one of them; `notes`
   * adds to that warning what is known of a value left out on purpose (`grpc`).
   */
  pick<T>(
    name: string,
    raw: string,
    choices: Readonly<Record<string, T>>,
    notes: Readonly<Record<string, string>> = {},
  ): T | undefined {
    const key = raw.toLowerCase();
    if (Object.hasOwn(choices, key)) return choices[key];
    const note = Object.hasOwn(notes, key) ? ` (${notes[key]})` : '';
    this.warn(name, raw, `one of ${Object.keys(choices).join(', ')}${note}`);
    return undefined;
  }

  /** A comma-separated list of `choices` keys; unknown items warn and are skipped. */
  list<T>(name: string, choices: Readonly<Record<string, T>>): T[] | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const out: T[] = [];
    for (const item of raw.split(',')) {
      const trimmed = item.trim();
      if (trimmed === '') continue;
      const value = this.pick(name, trimmed, choices);
      if (value !== undefined && !out.includes(value)) out.push(value);
    }
    return out;
  }

  /** A host name or IP address to listen on (no scheme, no port); anything else warns. */
  host(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined || isIP(raw) !== 0 || HOST_NAME.test(raw)) return raw;
    this.warn(name, raw, 'a host name or an IP address without a scheme or port, e.g. 0.0.0.0');
    return undefined;
  }

  /** An absolute http(s) URL, as given; anything else warns (a password in it shown as `***`). */
  url(name: string, raw: string, outcome?: string): string | undefined {
    if (URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol)) return raw;
    this.warn(name, redactedUrl(raw), 'an http(s) URL, e.g. http://localhost:4318', outcome);
    return undefined;
  }

  /**
   * `key=value,key2=value2` with percent-encoded values (W3C Baggage style). A malformed item
   * warns and is skipped; the others are kept.
   */
  pairs(name: string): Record<string, string> | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [index, item] of raw.split(',').entries()) {
      if (item.trim() === '') continue;
      const position = index + 1;
      const eq = item.indexOf('=');
      const key = eq > 0 ? item.slice(0, eq).trim() : '';
      const value = key === '' ? undefined : decode(item.slice(eq + 1).trim());
      if (value === undefined) {
        const pair = isHeaderName(key) ? `the pair ${JSON.stringify(key)}` : `pair #${position}`;
        this.warnings.push(
          `${name} has ${key === '' ? 'a pair without a key' : pair} ` +
            'that is not key=value with a percent-encoded value (a space as %20, a comma as ' +
            '%2C): it is left out, and its value is not printed; fix or remove it',
        );
        continue;
      }
      out[key] = value;
    }
    return out;
  }

  /** Records that `name` holds `raw`, which is not `expected`, and what happens instead (`outcome`). */
  warn(name: string, raw: string, expected: string, outcome = 'using the default instead'): void {
    this.warnings.push(
      `${name}=${JSON.stringify(raw)} is not ${expected}: ${outcome}; ` +
        'fix the value or unset the variable',
    );
  }
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
