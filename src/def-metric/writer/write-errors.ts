import { DefMetricConfigError } from '../config-error.js';
import type { DefMetricDialect, WriteErrorKind } from '../dialect/dialect.js';

/** How to fix a configuration error, by a pattern of its code or message. */
const FIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /ACCESS_DENIED|access denied|SQLITE_PERM|SQLITE_AUTH|readonly|read-only|OPTION_PREVENTS/i,
    'grant the database user INSERT (and CREATE, for migrations) or fix the credentials in the URL',
  ],
  [
    /NO_SUCH_TABLE|no such table|doesn't exist/i,
    "create the tables with 'opmeter migrate' or leave the writer's migrate option on",
  ],
  [
    /BAD_FIELD|no such column|has no column|Unknown column/i,
    "the table differs from its YAML schema: compare it with 'opmeter schema' and alter it",
  ],
  [/BAD_DB|Unknown database/i, 'create the database or fix its name in the URL'],
  [/unable to open/i, "check that the SQLite file's folder exists and is writable"],
];

/** Classifies a failed write: a {@link DefMetricConfigError} is `config`, else the dialect decides. */
export function classifyWriteError(dialect: DefMetricDialect, error: unknown): WriteErrorKind {
  return error instanceof DefMetricConfigError ? 'config' : dialect.classifyError(error);
}

/** The error's code and message on one line; never throws, even for a hostile error object. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      const message = String(error.message);
      return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
    }
    return String(error);
  } catch {
    return 'an error that cannot be read';
  }
}

/** Describes a configuration error together with how to fix it. */
export function describeConfigError(error: unknown): string {
  const text = describeError(error);
  if (error instanceof DefMetricConfigError) return text;
  const fix = FIXES.find(([pattern]) => pattern.test(text))?.[1];
  return fix === undefined ? `${text}; fix the configuration` : `${text}; ${fix}`;
}
