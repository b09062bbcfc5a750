import {
  type BaselineChoice,
  DEFAULT_ALPHA,
  DEFAULT_MIN_OPERATIONS,
  DEFAULT_THRESHOLD,
  detectRegressions,
  type MetricComparison,
  rollingWindow,
} from '../../analytics/index.js';
import type { ReportResult } from '../../def-metric/index.js';
import { ANALYTICS_OPTIONS, PROGRESS_USAGE, withAnalytics } from '../analytics-context.js';
import { type CliIo, EXIT_FOUND, UsageError } from '../command.js';
import { durationFlag, numberFlag, outputFormat } from '../flags.js';
import { formatReport } from '../format.js';
import { parseCommandArgs } from '../parse.js';
import { SHARED_USAGE } from '../shared-options.js';

/** Usage of `opmeter report regressions`. */
export const REGRESSIONS_USAGE = [
  'Usage: opmeter report regressions --table <def_x_metric> [--baseline <name> | --window 7d] [options]',
  '',
  'Compares the recent window with a baseline per code and operation: p50 (Mann-Whitney U),',
  'p95 (share of operations slower than the baseline p95), error rate (two-proportion z) and',
  'throughput (Poisson rate). A regression is both large (relative change worse than --threshold)',
  'and significant (Holm-adjusted p below --alpha). Exit status 3 when one is found.',
  '',
  'Options:',
  '  --table <name>      the def_*_metric table, as declared in YAML (required)',
  '  --recent <span>     the recent window: the last 24h by default',
  '  --baseline <name>   a baseline saved with opmeter baseline save (snapshot or rolling)',
  '  --window <span>     else a live baseline: this span before the recent window (default 7d)',
  `  --threshold <pct>   relative change that counts as large (default ${DEFAULT_THRESHOLD * 100})`,
  `  --alpha <p>         family-wise significance level (default ${DEFAULT_ALPHA})`,
  `  --min-operations <n>  groups with fewer operations in a window are not tested (default ${DEFAULT_MIN_OPERATIONS})`,
  '  --all               print every comparison, not only the regressions',
  '  --json | --csv      output format (default: an aligned table)',
  PROGRESS_USAGE,
  SHARED_USAGE,
].join('\n');

/** `opmeter report regressions …`; resolves to 3 when a regression is found. */
export async function runRegressionsReport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      recent: { type: 'string' },
      baseline: { type: 'string' },
      window: { type: 'string' },
      threshold: { type: 'string' },
      alpha: { type: 'string' },
      'min-operations': { type: 'string' },
      all: { type: 'boolean' },
      ...ANALYTICS_OPTIONS,
    },
    false,
  );
  if (values.help) {
    io.stdout.write(`${REGRESSIONS_USAGE}\n`);
    return 0;
  }
  void positionals;
  if (values.table === undefined) throw new UsageError('missing --table <def_x_metric>');
  if (values.baseline !== undefined && values.window !== undefined) {
    throw new UsageError('choose one of --baseline and --window');
  }
  const format = outputFormat(values);
  const now = Date.now();
  const recentMs = durationFlag(values.recent, 86_400_000);
  const recent = rollingWindow(now, recentMs);
  const baseline: BaselineChoice =
    values.baseline === undefined
      ? {
          kind: 'window',
          window: rollingWindow(now, durationFlag(values.window, 7 * 86_400_000), recentMs),
        }
      : { kind: 'saved', name: values.baseline };
  const threshold = numberFlag(values.threshold, '--threshold');
  const alpha = numberFlag(values.alpha, '--alpha');
  const minOperations = numberFlag(values['min-operations'], '--min-operations');
  if (threshold !== undefined && !(threshold > 0))
    throw new UsageError('--threshold must be above 0');
  if (alpha !== undefined && !(alpha > 0 && alpha < 1))
    throw new UsageError('--alpha must be between 0 and 1');
  return withAnalytics(values, io, async ({ source, table, progress }) => {
    const report = await detectRegressions(source, table as NonNullable<typeof table>, {
      recent,
      baseline,
      nowMs: now,
      ...(threshold === undefined ? {} : { threshold: threshold / 100 }),
      ...(alpha === undefined ? {} : { alpha }),
      ...(minOperations === undefined ? {} : { minOperations }),
      ...(progress ? { onProgress: progress } : {}),
    });
    progress?.finish();
    const shown = values.all ? report.comparisons : report.regressions;
    io.stdout.write(formatReport(comparisonTable(shown), format));
    io.stderr.write(
      `${report.regressions.length} regression(s) in ${report.comparisons.length} comparisons ` +
        `of ${report.table}; baseline ${report.baseline}; recent ${report.recent}\n`,
    );
    return report.regressions.length > 0 ? EXIT_FOUND : 0;
  });
}

/** Comparisons as a report table: values, relative change, effect size and p-values. */
export function comparisonTable(comparisons: readonly MetricComparison[]): ReportResult {
  const sig = (v: number | null) => (v === null ? null : Number(v.toPrecision(4)));
  return {
    columns: [
      'Code',
      'Operation',
      'Metric',
      'Baseline',
      'Recent',
      'Change%',
      'Effect',
      'EffectSize',
      'p',
      'pAdjusted',
      'Regression',
      'BaselineOps',
      'RecentOps',
    ],
    rows: comparisons.map((c) => ({
      Code: c.code,
      Operation: c.operation,
      Metric: c.metric,
      Baseline: sig(c.baseline),
      Recent: sig(c.recent),
      'Change%':
        c.relativeChange === null
          ? null
          : Number.isFinite(c.relativeChange)
            ? Number((c.relativeChange * 100).toFixed(1))
            : 'new',
      Effect: c.effectName,
      EffectSize: sig(c.effectSize),
      p: Number(c.p.toPrecision(3)),
      pAdjusted: Number(c.pAdjusted.toPrecision(3)),
      Regression: c.regression ? 'yes' : 'no',
      BaselineOps: c.baselineOperations,
      RecentOps: c.recentOperations,
    })),
  };
}
