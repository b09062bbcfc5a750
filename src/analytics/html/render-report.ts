import type { ReportResult } from '../../def-metric/index.js';
import type { AnomalyReport } from '../anomaly/detect-anomalies.js';
import type { RegressionReport } from '../regression/detect-regressions.js';
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './report-style.js';
import { type ChartSeries, lineChart } from './svg-chart.js';
import type { TimeSeries } from './time-series.js';

/** Everything the HTML report shows. */
export interface HtmlReportData {
  readonly table: string;
  readonly window: string;
  readonly generatedAt: string;
  readonly series: TimeSeries;
  /** Per code/operation over the whole window, p99.9 included. */
  readonly summary: ReportResult;
  readonly slowest: ReportResult;
  readonly errors: ReportResult;
  readonly regressions: RegressionReport;
  readonly anomalies: AnomalyReport;
}

/** Renders the report as one self-contained HTML document (inline CSS and SVG, no script, no network). */
export function renderHtmlReport(data: HtmlReportData): string {
  const { series } = data;
  const name = (g: { code: string; operation: string }) =>
    g.code === g.operation ? g.code : `${g.code} / ${g.operation}`;
  // Operations per hour of the part of each bucket inside the window (the first and last are partial).
  const hoursOf = (startMs: number) =>
    (Math.min(startMs + series.bucketMs, series.window.toMs) -
      Math.max(startMs, series.window.fromMs)) /
    3_600_000;
  const perGroup = (
    pick: (b: TimeSeries['groups'][number]['buckets'][number]) => number | null,
  ): ChartSeries[] =>
    series.groups.map((g) => ({
      name: name(g),
      points: g.buckets.flatMap((b) => {
        const v = pick(b);
        return v === null ? [] : [[b.startMs, v] as const];
      }),
    }));
  const latencyCharts = series.groups.map((g) =>
    lineChart({
      title: `${name(g)}: p50 / p95 / p99 (s)`,
      unit: 's',
      series: (['p50Seconds', 'p95Seconds', 'p99Seconds'] as const).map((k) => ({
        name: k.slice(0, 3),
        points: g.buckets.flatMap((b) =>
          b[k] === null ? [] : [[b.startMs, b[k] as number] as const],
        ),
      })),
    }),
  );
  const trendCharts = [
    lineChart({
      title: 'Throughput (operations per hour)',
      unit: '/h',
      series: perGroup((b) => (hoursOf(b.startMs) > 0 ? b.count / hoursOf(b.startMs) : null)),
    }),
    lineChart({
      title: 'Error rate (%)',
      unit: '%',
      series: perGroup((b) => (b.count > 0 ? (b.failures / b.count) * 100 : null)),
    }),
    lineChart({
      title: 'Memory trend (average MemoryUsageMB)',
      unit: 'MB',
      series: perGroup((b) => b.memoryAvgMB),
    }),
  ];
  const flagged = data.regressions.regressions;
  const cards = [
    card('operations', String(series.rows)),
    card('code/operation groups', String(series.groups.length + series.omittedGroups)),
    card('regressions', String(flagged.length), flagged.length > 0),
    card('anomalies', String(data.anomalies.total), data.anomalies.total > 0),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>opmeter report: ${escapeHtml(data.table)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<h1>opmeter report: ${escapeHtml(data.table)}</h1>`,
    `<p class="meta">${escapeHtml(data.window)} · generated ${escapeHtml(data.generatedAt)}</p>`,
    `<div class="cards">${cards.join('')}</div>`,
    '<h2 id="regressions">Flagged regressions</h2>',
    `<p class="note">Recent ${escapeHtml(data.regressions.recent)} against ${escapeHtml(data.regressions.baseline)}; large and significant (Holm-adjusted) only.</p>`,
    flagged.length === 0
      ? '<p>None.</p>'
      : htmlTable(
          ['Code', 'Operation', 'Metric', 'Baseline', 'Recent', 'Change', 'Effect', 'p (adjusted)'],
          flagged.map((c) => [
            c.code,
            c.operation,
            c.metric,
            sig(c.baseline),
            sig(c.recent),
            c.relativeChange === null
              ? ''
              : Number.isFinite(c.relativeChange)
                ? `${(c.relativeChange * 100).toFixed(1)}%`
                : 'new',
            `${c.effectName} ${sig(c.effectSize)}`,
            c.pAdjusted.toPrecision(3),
          ]),
          () => true,
        ),
    '<h2 id="summary">By code and operation</h2>',
    reportTable(data.summary),
    '<h2 id="latency">Latency by code and operation</h2>',
    series.omittedGroups > 0
      ? `<p class="note">The ${series.groups.length} busiest groups; ${series.omittedGroups} smaller ones are left out of the charts.</p>`
      : '',
    `<div class="charts">${latencyCharts.join('')}</div>`,
    '<h2 id="trends">Throughput, error rate and memory</h2>',
    `<div class="charts">${trendCharts.join('')}</div>`,
    '<h2 id="slowest">Slowest operations</h2>',
    reportTable(data.slowest),
    '<h2 id="errors">Error rate by operation</h2>',
    reportTable(data.errors),
    '<h2 id="anomalies">Anomalies</h2>',
    `<p class="note">${escapeHtml(data.anomalies.total)} outliers in ${escapeHtml(data.anomalies.rows)} rows (${escapeHtml(data.anomalies.method)}, threshold ${escapeHtml(data.anomalies.threshold)}); the most extreme:</p>`,
    htmlTable(
      ['Time', 'GUID', 'Code', 'Operation', 'Metric', 'Value', 'Median', 'Score'],
      data.anomalies.anomalies.map((a) => [
        a.time,
        a.guid ?? '',
        a.code,
        a.operation,
        a.metric,
        sig(a.value),
        sig(a.median),
        sig(a.score),
      ]),
    ),
    '<p class="note">Percentiles come from a sketch with ±1% relative error; p-values from Mann–Whitney U (p50), the share above the baseline p95, two-proportion z (errors) and Poisson rate (throughput) tests.</p>',
    '</body></html>',
    '',
  ].join('\n');
}

function card(label: string, value: string, bad = false): string {
  return `<div class="card${bad ? ' bad' : ''}"><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
}

function sig(value: number | null): string {
  if (value === null) return '';
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

function reportTable(result: ReportResult): string {
  return htmlTable(
    result.columns,
    result.rows.map((row) => result.columns.map((c) => row[c] ?? '')),
  );
}

function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  bad: (row: readonly (string | number)[]) => boolean = () => false,
): string {
  if (rows.length === 0) return '<p>None.</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr${bad(row) ? ' class="bad"' : ''}>${row
          .map(
            (cell) =>
              `<td${typeof cell === 'number' || /^-?[\d.]+(e[-+]?\d+)?%?$/.test(String(cell)) ? ' class="n"' : ''}>${escapeHtml(cell)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
