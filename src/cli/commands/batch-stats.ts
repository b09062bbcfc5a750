import { formatBatchSummary } from '../../../instrumentations/batch/format.js';
import { parseBatchExport } from '../../../instrumentations/batch/import.js';
import { type CliCommand, UsageError } from '../command.js';
import { numberFlag } from '../flags.js';
import { parseCommandArgs } from '../parse.js';
import { DEFAULT_INPUT_LIMIT_BYTES, readTextLimited } from '../read-input.js';

/** `opmeter batch stats <file> [--json] [--max-mib <n>]`: the summary of a batch exported as JSON or CSV. */
export const batchCommand: CliCommand = {
  name: 'batch',
  summary: 'summary of an exported batch job (opmeter batch stats <file>)',
  usage: [
    'Usage: opmeter batch stats <export.json|export.csv> [--json] [--max-mib <n>]',
    '',
    '  stats <file>   print the summary of a batch written by job.toJson() or job.toCsv():',
    '                 file counts, success and error rates, per-file timing (sum, mean, median,',
    '                 min, max, sample stddev), throughput, totals, peak memory, errors by type',
    '  --json         print { batch, summary } as JSON instead of a table',
    `  --max-mib <n>  largest file read, in MiB (default ${DEFAULT_INPUT_LIMIT_BYTES / 1024 / 1024})`,
    '',
    'A CSV export has no start and finish times: its elapsed time is the span from the first',
    "file's start to the last file's end.",
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        'max-mib': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const [sub, path, ...extra] = positionals;
    if (sub !== 'stats') {
      throw new UsageError(
        sub === undefined ? "missing sub-command 'stats'" : `unknown sub-command '${sub}' (stats)`,
      );
    }
    if (path === undefined) throw new UsageError('missing the export file to read');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const maxMiB = numberFlag(values['max-mib'], '--max-mib');
    if (maxMiB !== undefined && maxMiB <= 0) throw new UsageError('--max-mib needs a number > 0');
    const limit =
      maxMiB === undefined ? DEFAULT_INPUT_LIMIT_BYTES : Math.floor(maxMiB * 1024 * 1024);
    let batch: ReturnType<typeof parseBatchExport>;
    try {
      batch = parseBatchExport(await readTextLimited(path, limit, '--max-mib'), path);
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`);
    }
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ batch: batch.batch, summary: batch.summary }, null, 2)}\n`
        : formatBatchSummary(batch.batch, batch.summary),
    );
    return 0;
  },
};
