/** Formats a time as the UTC `YYYY-MM-DD HH:MM:SS` that DATETIME columns store. */
export function formatDatetime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

const DATETIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a DATETIME string: `YYYY-MM-DD[ HH:MM:SS[.fff]]`, read as UTC unless it carries a zone
 * (`Z`, `+02:00`). Returns epoch milliseconds, or undefined when it is not a valid time.
 */
export function parseDatetime(text: string): number | undefined {
  const match = DATETIME_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const epochMs = Date.parse(`${date}T${time}${fraction}${zone}`);
  return Number.isNaN(epochMs) ? undefined : epochMs;
}

const DURATION_PATTERN = /^(\d+)\s*(s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses a duration such as `90s`, `30m`, `12h`, `7d` or `2w` into milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  const unit = UNIT_MS[match?.[2] ?? ''];
  if (!match || unit === undefined) {
    throw new Error(`invalid duration '${text}': use a number and a unit s, m, h, d or w, e.g. 7d`);
  }
  return Number(match[1]) * unit;
}
