import { BASELINE_TABLE } from '../../analytics/baseline/baseline-table.js';
import {
  deleteBaseline,
  listBaselines,
  loadBaseline,
  rollingWindow,
  saveBaseline,
  summaryTable,
} from '../../analytics/index.js';
import type { ReportResult } from '../../def-metric/index.js';
import {
  ANALYTICS_OPTIONS,
  type AnalyticsContext,
  PROGRESS_USAGE,
  withAnalytics,
} from '../analytics-context.js';
import { type CliCommand, UsageError } from '../command.js';
import { durationFlag, numberFlag, outputFormat } from '../flags.js';
import { formatReport } from '../format.js';
import { parseCommandArgs } from '../parse.js';
import { SHARED_USAGE } from '../shared-options.js';

const SUBCOMMANDS = ['save', 'list', 'show', 'delete'] as const;
const DAY_MS = 86_400_000;

/** `opmeter baseline save|list|show|delete`: baselines of def_metric tables. */
export const baselineCommand: CliCommand = {
  name: 'baseline',
  summary: 'save, list, show or delete baselines of a def_*_metric table',
  usage: [
    'Usage: opmeter baseline save <name> --table <def_x_metric> [--window 7d] [--skip 24h] [--rolling]',
    '       opmeter baseline list',
    '       opmeter baseline show <name> --table <def_x_metric>',
    '       opmeter baseline delete <name> [--table <def_x_metric>]',
    '',
    `  save <name>         store per code and operation: count, mean, p50/p90/p95/p99/p99.9 of`,
    '                      ElapsedSeconds, throughput, error rate, memory, and a random sample of',
    `                      2000 durations for the rank test, in the table ${BASELINE_TABLE}`,
    '  list                every stored baseline',
    '  show <name>         the statistics of a baseline',
    '  delete <name>       remove a baseline (of every table, or of --table only)',
    '',
    'Options:',
    '  --table <name>      the def_*_metric table, as declared in YAML',
    '  --window <span>     the baseline covers this span (default 7d) ...',
    '  --skip <span>       ... ending this long before now (default 0): --window 7d --skip 24h is',
    '                      "the 7 days before the last 24 hours"',
    '  --rolling           store only the window, computed again each time the baseline is used',
    '  --replace           replace a baseline of the same name',
    '  --sample-size <n>   durations kept per code and operation (default 2000)',
    '  --json | --csv      output format of list and show (default: an aligned table)',
    PROGRESS_USAGE,
    SHARED_USAGE,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        window: { type: 'string' },
        skip: { type: 'string' },
        rolling: { type: 'boolean' },
        replace: { type: 'boolean' },
        'sample-size': { type: 'string' },
        ...ANALYTICS_OPTIONS,
      },
      true,
    );
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const [sub, name, ...extra] = positionals;
    if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number])) {
      throw new UsageError(
        sub === undefined
          ? `missing sub-command (one of ${SUBCOMMANDS.join(', ')})`
          : `unknown sub-command '${sub}' (one of ${SUBCOMMANDS.join(', ')})`,
      );
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (sub !== 'list' && name === undefined) throw new UsageError(`missing the baseline name`);
    if ((sub === 'save' || sub === 'show') && values.table === undefined) {
      throw new UsageError('missing --table <def_x_metric>');
    }
    const format = outputFormat(values);
    const lengthMs = durationFlag(values.window, 7 * DAY_MS);
    const skipMs = durationFlag(values.skip, 0);
    const sampleSize = numberFlag(values['sample-size'], '--sample-size');
    if (sampleSize !== undefined && !(Number.isInteger(sampleSize) && sampleSize > 0)) {
      throw new UsageError('--sample-size needs a positive integer');
    }
    return withAnalytics(values, io, async (context) => {
      const baselineName = name ?? '';
      if (sub === 'save') {
        const saved = await saveBaseline(
          context.source,
          context.table as NonNullable<AnalyticsContext['table']>,
          baselineName,
          values.rolling
            ? { kind: 'rolling', lengthMs, skipMs }
            : { kind: 'snapshot', window: rollingWindow(Date.now(), lengthMs, skipMs) },
          {
            replace: values.replace === true,
            ...(sampleSize === undefined ? {} : { sampleSize }),
            ...(context.progress ? { onProgress: context.progress } : {}),
          },
        );
        context.progress?.finish();
        io.stderr.write(
          values.rolling
            ? `saved rolling baseline '${baselineName}' of ${values.table}\n`
            : `saved baseline '${baselineName}' of ${values.table}: ${saved.groups.length} code/operation groups\n`,
        );
        return 0;
      }
      if (sub === 'delete') {
        const removed = await deleteBaseline(context.source.dialect, baselineName, values.table);
        if (removed === 0) throw new Error(`no baseline '${baselineName}' to delete`);
        io.stderr.write(`deleted baseline '${baselineName}' (${removed} rows)\n`);
        return 0;
      }
      let result: ReportResult;
      if (sub === 'list') {
        const listed = await listBaselines(context.source.dialect).catch(noBaselineTable);
        result = {
          columns: ['Name', 'Table', 'Kind', 'Created', 'Groups', 'Operations', 'Window'],
          rows: listed.map((b) => ({
            Name: b.name,
            Table: b.table,
            Kind: b.kind,
            Created: b.createdAt,
            Groups: b.groups,
            Operations: b.operations,
            Window: b.window,
          })),
        };
      } else {
        const saved = await loadBaseline(
          context.source.dialect,
          baselineName,
          values.table ?? '',
        ).catch(noBaselineTable);
        if (saved.kind === 'rolling') {
          io.stdout.write(
            `${saved.name}: rolling, the ${saved.lengthMs / 3_600_000} h ending ${saved.skipMs / 3_600_000} h before now\n`,
          );
          return 0;
        }
        result = summaryTable([...saved.groups.values()]);
      }
      io.stdout.write(formatReport(result, format));
      if (result.rows.length === 0 && format === 'table') io.stderr.write('(no rows)\n');
      return 0;
    });
  },
};

/** A missing baseline table means no baseline was ever saved: say so instead of the SQL error. */
function noBaselineTable(error: unknown): never {
  const message = (error as Error).message ?? '';
  if (/no such table|doesn't exist/i.test(message)) {
    throw new Error(`no baselines saved yet (table ${BASELINE_TABLE} does not exist)`);
  }
  throw error;
}
