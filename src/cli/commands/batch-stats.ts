import { readFile } from 'node:fs/promises';
import { formatBatchSummary } from '../../../instrumentations/batch/format.js';
import { parseBatchExport } from '../../../instrumentations/batch/import.js';
import { type CliCommand, UsageError } from '../command.js';
import { parseCommandArgs } from '../parse.js';

/** `opmeter batch stats <file> [--json]`: the summary of a batch exported as JSON or CSV. */
export const batchCommand: CliCommand = {
  name: 'batch',
  summary: 'summary of an exported batch job (opmeter batch stats <file>)',
  usage: [
    'Usage: opmeter batch stats <export.json|export.csv> [--json]',
    '',
    '  stats <file>   print the summary of a batch written by job.toJson() or job.toCsv():',
    '                 file counts, success and error rates, per-file timing (sum, mean, median,',
    '                 min, max, sample stddev), throughput, totals, peak memory, errors by type',
    '  --json         print { batch, summary } as JSON instead of a table',
    '',
    'A CSV export has no start and finish times: its elapsed time is the span from the first',
    "file's start to the last file's end.",
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
    let batch: ReturnType<typeof parseBatchExport>;
    try {
      batch = parseBatchExport(await readFile(path, 'utf8'), path);
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
