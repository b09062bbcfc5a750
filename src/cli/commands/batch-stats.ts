import { readFile } from 'node:fs/promises';
import { formatBatchSummary } from '../../../instrumentations/batch/format.js';
import { parseBatchExport } from '../../../instrumentations/batch/import.js';

/** Where a command reads and writes; injectable so tests run it in-process. */
export interface BatchStatsIo {
  /** Receives the report. */
  stdout: { write(chunk: string): unknown };
  /** Receives usage and error messages. */
  stderr: { write(chunk: string): unknown };
  /** Reads a file as UTF-8 text. Default: `fs/promises` `readFile`. */
  readFile?: (path: string) => Promise<string>;
}

/** Usage line of `opmeter batch stats`. */
export const BATCH_STATS_USAGE =
  'usage: opmeter batch stats <export.json|export.csv> [--json]\n' +
  '  Prints the summary of a batch exported with batchToJson() or batchToCsv().\n' +
  '  --json  print the batch identity and summary as JSON instead of a table\n';

/** Exit code of a successful run. */
export const EXIT_OK = 0;
/** Exit code when the file cannot be read or is not a batch export. */
export const EXIT_BAD_FILE = 1;
/** Exit code of a usage error (missing file argument, unknown option). */
export const EXIT_USAGE = 2;

/**
 * `opmeter batch stats <file> [--json]`: `argv` is what follows `batch stats`. Prints an aligned
 * table (or, with `--json`, `{ batch, summary }` as JSON) on stdout and returns the exit code;
 * never throws: problems go to stderr with exit code 1 (bad file) or 2 (usage).
 */
export async function batchStatsCommand(
  argv: readonly string[],
  io: BatchStatsIo,
): Promise<number> {
  const json = argv.includes('--json');
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(BATCH_STATS_USAGE);
    return EXIT_OK;
  }
  const unknown = argv.filter((arg) => arg.startsWith('-') && arg !== '--json');
  const paths = argv.filter((arg) => !arg.startsWith('-'));
  if (unknown.length > 0 || paths.length !== 1) {
    const problem =
      unknown.length > 0
        ? `unknown option ${unknown[0]}`
        : paths.length === 0
          ? 'missing the export file to read'
          : `expected one file, got ${paths.length}`;
    io.stderr.write(`opmeter batch stats: ${problem}\n${BATCH_STATS_USAGE}`);
    return EXIT_USAGE;
  }
  const path = paths[0] as string;
  try {
    const text = await (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(path);
    const { batch, summary } = parseBatchExport(text, path);
    io.stdout.write(
      json
        ? `${JSON.stringify({ batch, summary }, null, 2)}\n`
        : formatBatchSummary(batch, summary),
    );
    return EXIT_OK;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`opmeter batch stats: cannot read ${path}: ${message}\n`);
    return EXIT_BAD_FILE;
  }
}
