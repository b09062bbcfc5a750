import { runReport, type TableModel } from '../../def-metric/index.js';
import { detectAnomalies } from '../anomaly/detect-anomalies.js';
import { type BaselineChoice, detectRegressions } from '../regression/detect-regressions.js';
import { historyColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import { describeWindow, rollingWindow } from '../source/time-window.js';
import { summariseWindow } from '../summary/summarise-window.js';
import { summaryTable } from '../summary/summary-table.js';
import { renderHtmlReport } from './render-report.js';
import { collectTimeSeries } from './time-series.js';

/** Options of {@link buildHtmlReport}. */
export interface HtmlReportOptions {
  /** The span the charts cover, ending now (default 7 days). */
  readonly sinceMs?: number;
  /** The recent window of the regression check (default 24 h). */
  readonly recentMs?: number;
  /** A saved baseline to compare with; else the rest of the charted span before the recent window. */
  readonly baseline?: string;
  /** Code/operation groups charted, the busiest first (default 8). */
  readonly maxGroups?: number;
  /** Progress of the row streams (rows read, total of the pass). */
  readonly onProgress?: (read: number, total: number) => void;
  /** Current time, for tests (default `Date.now()`). */
  readonly nowMs?: number;
}

/**
 * Builds the self-contained HTML report of a def_metric table: p50/p95/p99 over time per
 * code/operation, throughput, error rate, memory trend, the slowest operations, flagged
 * regressions and anomalies. Every pass streams rows or groups in SQL.
 */
export async function buildHtmlReport(
  source: HistorySource,
  table: TableModel,
  options: HtmlReportOptions = {},
): Promise<string> {
  const nowMs = options.nowMs ?? Date.now();
  const sinceMs = options.sinceMs ?? 7 * 86_400_000;
  const recentMs = Math.min(options.recentMs ?? 86_400_000, sinceMs / 2);
  const window = rollingWindow(nowMs, sinceMs);
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const columns = historyColumns(table);
  const series = await collectTimeSeries(source, columns, window, {
    ...(options.maxGroups === undefined ? {} : { maxGroups: options.maxGroups }),
    ...progress,
  });
  const summary = summaryTable([
    ...(await summariseWindow(source, columns, window, { sampleSize: 1, ...progress })).values(),
  ]);
  const baseline: BaselineChoice =
    options.baseline === undefined
      ? { kind: 'window', window: rollingWindow(nowMs, sinceMs - recentMs, recentMs) }
      : { kind: 'saved', name: options.baseline };
  const regressions = await detectRegressions(source, table, {
    recent: rollingWindow(nowMs, recentMs),
    baseline,
    nowMs,
    ...progress,
  });
  const anomalies = await detectAnomalies(source, table, { window, limit: 20, ...progress });
  const reportOptions = { sinceMs, now: nowMs };
  const slowest = await runReport(source.dialect, table, 'slowest', reportOptions);
  const errors = await runReport(source.dialect, table, 'errors', {
    ...reportOptions,
    minErrorRate: 0,
  });
  return renderHtmlReport({
    table: table.name,
    window: describeWindow(window),
    generatedAt: `${new Date(nowMs).toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    series,
    summary,
    slowest,
    errors,
    regressions,
    anomalies,
  });
}
