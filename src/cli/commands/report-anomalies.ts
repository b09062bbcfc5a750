import {
  ANOMALY_METRICS,
  type AnomalyMethod,
  type AnomalyMetric,
  type AnomalyReport,
  DEFAULT_ANOMALY_THRESHOLD,
  detectAnomalies,
  rollingWindow,
} from '../../analytics/index.js';
import type { ReportResult } from '../../def-metric/index.js';
import { ANALYTICS_OPTIONS, PROGRESS_USAGE, withAnalytics } from '../analytics-context.js';
import { type CliIo, UsageError } from '../command.js';
import { durationFlag, numberFlag, outputFormat, positiveIntegerFlag } from '../flags.js';
import { formatReport } from '../format.js';
import { parseCommandArgs } from '../parse.js';
import { SHARED_USAGE } from '../shared-options.js';

const METHODS: readonly AnomalyMethod[] = ['robust-z', 'iqr'];

/** Usage of `opmeter report anomalies`. */
export const ANOMALIES_USAGE = [
  'Usage: opmeter report anomalies --table <def_x_metric> [--method robust-z|iqr] [options]',
  '',
  'Lists operations whose duration, memory or throughput is an outlier within their code and',
  'operation group, with the row GUID and time, the most extreme first.',
  '',
  'Options:',
  '  --table <name>      the def_*_metric table, as declared in YAML (required)',
  '  --since <span>      rows of this last span (default 7d)',
  `  --method <m>        robust-z: modified z-score from median and MAD, |z| > ${DEFAULT_ANOMALY_THRESHOLD['robust-z']} (default)`,
  `                      iqr: Tukey's fences Q1 - k*IQR, Q3 + k*IQR, k = ${DEFAULT_ANOMALY_THRESHOLD.iqr}`,
  '  --threshold <x>     the |z| cut-off (robust-z) or k (iqr)',
  `  --metric <m>        ${ANOMALY_METRICS.join(', ')} (repeatable; default: all the table has)`,
  '  --linear            score the values themselves instead of their logarithm',
  '  --limit <n>         anomalies listed (default 100); all are counted',
  '  --json | --csv      output format (default: an aligned table)',
  PROGRESS_USAGE,
  SHARED_USAGE,
].join('\n');

/** `opmeter report anomalies …`. */
export async function runAnomaliesReport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      since: { type: 'string' },
      method: { type: 'string' },
      threshold: { type: 'string' },
      metric: { type: 'string', multiple: true },
      linear: { type: 'boolean' },
      limit: { type: 'string' },
      ...ANALYTICS_OPTIONS,
    },
    false,
  );
  if (values.help) {
    io.stdout.write(`${ANOMALIES_USAGE}\n`);
    return 0;
  }
  if (values.table === undefined) throw new UsageError('missing --table <def_x_metric>');
  const method = (values.method ?? 'robust-z') as AnomalyMethod;
  if (!METHODS.includes(method)) {
    throw new UsageError(`unknown --method '${values.method}' (one of ${METHODS.join(', ')})`);
  }
  for (const metric of values.metric ?? []) {
    if (!ANOMALY_METRICS.includes(metric as AnomalyMetric)) {
      throw new UsageError(`unknown --metric '${metric}' (one of ${ANOMALY_METRICS.join(', ')})`);
    }
  }
  const format = outputFormat(values);
  const threshold = numberFlag(values.threshold, '--threshold');
  const limit = positiveIntegerFlag(values.limit, '--limit');
  const window = rollingWindow(Date.now(), durationFlag(values.since, 7 * 86_400_000));
  return withAnalytics(values, io, async ({ source, table, progress }) => {
    const report = await detectAnomalies(source, table as NonNullable<typeof table>, {
      window,
      method,
      scale: values.linear ? 'linear' : 'log',
      ...(values.metric ? { metrics: values.metric as AnomalyMetric[] } : {}),
      ...(threshold === undefined ? {} : { threshold }),
      ...(limit === undefined ? {} : { limit }),
      ...(progress ? { onProgress: progress } : {}),
    });
    progress?.finish();
    io.stdout.write(formatReport(anomalyTable(report), format));
    io.stderr.write(
      `${report.total} anomalies in ${report.rows} rows (${report.method}, threshold ${report.threshold}` +
        `${report.total > report.anomalies.length ? `; the ${report.anomalies.length} most extreme listed` : ''})\n`,
    );
    return 0;
  });
}

/** Anomalies as a report table. */
export function anomalyTable(report: AnomalyReport): ReportResult {
  const sig = (v: number) => Number(v.toPrecision(4));
  return {
    columns: [
      'Time',
      'Guid',
      'Code',
      'Operation',
      'Metric',
      'Value',
      'Median',
      'Score',
      'Direction',
    ],
    rows: report.anomalies.map((a) => ({
      Time: a.time,
      Guid: a.guid,
      Code: a.code,
      Operation: a.operation,
      Metric: a.metric,
      Value: sig(a.value),
      Median: sig(a.median),
      Score: Number.isFinite(a.score) ? Number(a.score.toFixed(2)) : String(a.score),
      Direction: a.direction,
    })),
  };
}
