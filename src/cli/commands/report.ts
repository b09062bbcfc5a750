import {
  createDialect,
  parseDuration,
  REPORT_DEFAULT_SINCE_MS,
  REPORT_NAMES,
  type ReportName,
  runReport,
} from '../../def-metric/index.js';
import { type CliCommand, type CliIo, UsageError } from '../command.js';
import { numberFlag, positiveIntegerFlag, usageParse } from '../flags.js';
import { formatReport } from '../format.js';
import { parseCommandArgs } from '../parse.js';
import {
  registryFrom,
  requireExistingDatabase,
  resolveUrl,
  SCHEMAS_OPTION,
  SHARED_USAGE,
  URL_OPTION,
} from '../shared-options.js';
import { runAnomaliesReport } from './report-anomalies.js';
import { runHtmlReport } from './report-html.js';
import { runRegressionsReport } from './report-regressions.js';

/** The history-analytics reports, each parsing its own options. */
const ANALYTICS_REPORTS: Readonly<Record<string, (args: string[], io: CliIo) => Promise<number>>> =
  {
    regressions: runRegressionsReport,
    anomalies: runAnomaliesReport,
    html: runHtmlReport,
  };

const days = (report: ReportName) => `${REPORT_DEFAULT_SINCE_MS[report] / 86_400_000}d`;

/** `opmeter report slowest|memory|errors --table <def_x_metric>`: the guide's three reports. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'slowest operations, memory trend or error rate of a def_*_metric table',
  usage: [
    'Usage: opmeter report <slowest|memory|errors> --table <def_x_metric> [options]',
    '       opmeter report <regressions|anomalies|html> --table <def_x_metric> [options]',
    '',
    `  slowest             average time and rate by code and operation (default window ${days('slowest')})`,
    `  memory              average and peak MemoryUsageMB per day (default window ${days('memory')})`,
    `  errors              error rate by operation, above --min-error-rate (default window ${days('errors')})`,
    '  regressions         recent window against a baseline; exit status 3 when one is found',
    '  anomalies           outlying operations by robust z-score or IQR fences',
    '  html                a self-contained HTML report with charts (--out report.html)',
    '                      (opmeter report <regressions|anomalies|html> --help for their options)',
    '',
    'Options:',
    '  --table <name>      the def_*_metric table, as declared in YAML (required)',
    '  --since <window>    only rows newer than this: 90m, 12h, 7d, 2w',
    '  --limit <n>         rows of the slowest report (default 10)',
    '  --min-error-rate <percent>  errors report threshold (default 1.0)',
    '  --json | --csv      output format (default: an aligned table)',
    SHARED_USAGE,
    '',
    'Tables without OperationName group by their code column (e.g. WorkflowCode).',
  ].join('\n'),
  async run(args, io) {
    const [first = '', ...after] = args;
    const analytics = Object.hasOwn(ANALYTICS_REPORTS, first)
      ? ANALYTICS_REPORTS[first]
      : undefined;
    if (analytics) return analytics(after, io);
    const { values, positionals } = parseCommandArgs(
      args,
      {
        table: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        'min-error-rate': { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...URL_OPTION,
        ...SCHEMAS_OPTION,
      },
      true,
    );
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const [report, ...extra] = positionals;
    if (report === undefined)
      throw new UsageError(`missing report name (one of ${REPORT_NAMES.join(', ')})`);
    if (!REPORT_NAMES.includes(report as ReportName)) {
      const all = [...REPORT_NAMES, ...Object.keys(ANALYTICS_REPORTS)];
      throw new UsageError(`unknown report '${report}' (one of ${all.join(', ')})`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (values.table === undefined) throw new UsageError('missing --table <def_x_metric>');
    if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');
    const sinceMs =
      values.since === undefined ? undefined : usageParse(() => parseDuration(values.since ?? ''));
    const limit = positiveIntegerFlag(values.limit, '--limit');
    const minErrorRate = numberFlag(values['min-error-rate'], '--min-error-rate');
    const table = registryFrom(values.schemas).require(values.table);
    const url = resolveUrl(values.url, io.env);
    requireExistingDatabase(url);
    const dialect = createDialect(url);
    try {
      const result = await runReport(dialect, table, report as ReportName, {
        ...(sinceMs === undefined ? {} : { sinceMs }),
        ...(limit === undefined ? {} : { limit }),
        ...(minErrorRate === undefined ? {} : { minErrorRate }),
      });
      io.stdout.write(formatReport(result, values.json ? 'json' : values.csv ? 'csv' : 'table'));
      if (result.rows.length === 0 && !values.json && !values.csv) io.stderr.write('(no rows)\n');
      return 0;
    } catch (error) {
      throw new Error(`${dialect.target}: ${(error as Error).message}`, { cause: error });
    } finally {
      await dialect.close();
    }
  },
};
