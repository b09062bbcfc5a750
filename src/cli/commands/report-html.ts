import { writeFile } from 'node:fs/promises';
import { buildHtmlReport } from '../../analytics/index.js';
import { ANALYTICS_OPTIONS, PROGRESS_USAGE, withAnalytics } from '../analytics-context.js';
import { type CliIo, UsageError } from '../command.js';
import { durationFlag, numberFlag } from '../flags.js';
import { parseCommandArgs } from '../parse.js';
import { SHARED_USAGE } from '../shared-options.js';

/** Usage of `opmeter report html`. */
export const HTML_USAGE = [
  'Usage: opmeter report html --table <def_x_metric> --out <report.html> [options]',
  '',
  'Writes one self-contained HTML file (inline CSS and SVG charts; no network needed to view it,',
  'light and dark mode): p50/p95/p99 over time per code and operation, throughput, error rate,',
  'memory trend, the slowest operations, flagged regressions and anomalies.',
  '',
  'Options:',
  '  --table <name>      the def_*_metric table, as declared in YAML (required)',
  '  --out <file>        where to write the report (required; - for stdout)',
  '  --since <span>      the span the charts cover (default 7d)',
  '  --recent <span>     the recent window of the regression check (default 24h)',
  '  --baseline <name>   compare with a saved baseline (default: the charted span before --recent)',
  '  --groups <n>        code/operation groups charted, the busiest first (default 8)',
  PROGRESS_USAGE,
  SHARED_USAGE,
].join('\n');

/** `opmeter report html …`. */
export async function runHtmlReport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      out: { type: 'string' },
      since: { type: 'string' },
      recent: { type: 'string' },
      baseline: { type: 'string' },
      groups: { type: 'string' },
      ...ANALYTICS_OPTIONS,
    },
    false,
  );
  if (values.help) {
    io.stdout.write(`${HTML_USAGE}\n`);
    return 0;
  }
  if (values.table === undefined) throw new UsageError('missing --table <def_x_metric>');
  if (values.out === undefined) throw new UsageError('missing --out <report.html>');
  if (values.json || values.csv) throw new UsageError('the html report has no --json or --csv');
  const groups = numberFlag(values.groups, '--groups');
  if (groups !== undefined && !(Number.isInteger(groups) && groups > 0)) {
    throw new UsageError('--groups needs a positive integer');
  }
  const sinceMs = durationFlag(values.since, 7 * 86_400_000);
  const recentMs = durationFlag(values.recent, 86_400_000);
  const out = values.out;
  return withAnalytics(values, io, async ({ source, table, progress }) => {
    const html = await buildHtmlReport(source, table as NonNullable<typeof table>, {
      sinceMs,
      recentMs,
      ...(values.baseline === undefined ? {} : { baseline: values.baseline }),
      ...(groups === undefined ? {} : { maxGroups: groups }),
      ...(progress ? { onProgress: progress } : {}),
    });
    progress?.finish();
    if (out === '-') io.stdout.write(html);
    else {
      await writeFile(out, html);
      io.stderr.write(`wrote ${out} (${Math.round(html.length / 1024)} KiB)\n`);
    }
    return 0;
  });
}
