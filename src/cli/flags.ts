import { parseDuration } from '../def-metric/index.js';
import { UsageError } from './command.js';

/** Runs a parser of a flag's text, turning its error into a {@link UsageError}. */
export function usageParse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A numeric flag's value, or undefined when absent; a non-number is a usage error. */
export function numberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new UsageError(`${flag} needs a number, got '${text}'`);
  return value;
}

/** A flag that counts something (`--limit 20`), or undefined when absent; else a usage error. */
export function positiveIntegerFlag(text: string | undefined, flag: string): number | undefined {
  const value = numberFlag(text, flag);
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new UsageError(`${flag} needs a positive whole number, got '${text}'`);
  }
  return value;
}

/** A duration flag (`90m`, `24h`, `7d`) in milliseconds, or `fallback` when absent. */
export function durationFlag(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : usageParse(() => parseDuration(text));
}

/** The output format chosen by `--json` / `--csv` (default: an aligned table). */
export function outputFormat(values: { json?: boolean; csv?: boolean }): 'table' | 'json' | 'csv' {
  if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');
  return values.json ? 'json' : values.csv ? 'csv' : 'table';
}
