import { createRowProgress, type HistorySource, openHistorySource } from '../analytics/index.js';
import type { TableModel } from '../def-metric/index.js';
import type { CliIo } from './command.js';
import {
  registryFrom,
  requireExistingDatabase,
  resolveUrl,
  SCHEMAS_OPTION,
  URL_OPTION,
} from './shared-options.js';

/** parseArgs option of the analytics commands that read many rows. */
export const PROGRESS_OPTION = { progress: { type: 'boolean' } } as const;

/** parseArgs options every analytics command takes: table, output format, help, progress, database. */
export const ANALYTICS_OPTIONS = {
  table: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...PROGRESS_OPTION,
  ...URL_OPTION,
  ...SCHEMAS_OPTION,
} as const;

/** Usage line of `--progress`. */
export const PROGRESS_USAGE =
  '  --progress          draw the progress line on stderr even when it is not a terminal';

/** What an analytics command works with. */
export interface AnalyticsContext {
  readonly source: HistorySource;
  readonly table: TableModel | undefined;
  /** A progress callback for the rows read, or undefined (stderr not a TTY and no --progress). */
  readonly progress: ReturnType<typeof createRowProgress>;
}

/**
 * Opens the database of `--url` (which must exist), finds `--table` in the schemas when given,
 * runs `work` and closes the database; errors name the redacted target.
 */
export async function withAnalytics<T>(
  values: { url?: string; schemas?: string[]; table?: string; progress?: boolean },
  io: CliIo,
  work: (context: AnalyticsContext) => Promise<T>,
): Promise<T> {
  const table =
    values.table === undefined ? undefined : registryFrom(values.schemas).require(values.table);
  const url = resolveUrl(values.url, io.env);
  requireExistingDatabase(url);
  const source = openHistorySource(url);
  const progress = createRowProgress(`reading ${values.table ?? ''}`.trimEnd(), {
    stream: io.stderr as { isTTY?: boolean; write(text: string): unknown },
    force: values.progress === true,
  });
  try {
    return await work({ source, table, progress });
  } catch (error) {
    throw new Error(`${source.dialect.target}: ${(error as Error).message}`, { cause: error });
  } finally {
    progress?.finish();
    await source.close();
  }
}
