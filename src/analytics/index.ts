/**
 * History analytics over def_metric rows: baselines, regression and anomaly detection, and a
 * self-contained HTML report. Every function streams rows, so memory stays bounded however large
 * the table.
 */
export {
  ANOMALY_METRICS,
  type Anomaly,
  type AnomalyMethod,
  type AnomalyMetric,
  type AnomalyOptions,
  type AnomalyReport,
  DEFAULT_ANOMALY_THRESHOLD,
  detectAnomalies,
} from './anomaly/detect-anomalies.js';
export {
  type BaselineListing,
  deleteBaseline,
  ensureBaselineTable,
  listBaselines,
  loadBaseline,
  type SavedBaseline,
} from './baseline/baseline-store.js';
export { BASELINE_TABLE, baselineTableModel } from './baseline/baseline-table.js';
export {
  type BaselineDefinition,
  type SaveBaselineOptions,
  type SavedBaselineResult,
  saveBaseline,
} from './baseline/save-baseline.js';
export { buildHtmlReport, type HtmlReportOptions } from './html/build-report.js';
export { escapeHtml } from './html/escape.js';
export { type HtmlReportData, renderHtmlReport } from './html/render-report.js';
export { type ChartSeries, type LineChartOptions, lineChart } from './html/svg-chart.js';
export {
  collectTimeSeries,
  type GroupSeries,
  type SeriesBucket,
  type TimeSeries,
} from './html/time-series.js';
export { createRowProgress, type RowProgress, type RowProgressOptions } from './progress.js';
export {
  compareGroups,
  DEFAULT_ALPHA,
  DEFAULT_MIN_OPERATIONS,
  DEFAULT_THRESHOLD,
  METRIC_TESTS,
  type MetricComparison,
  REGRESSION_METRICS,
  type RegressionMetric,
  type RegressionOptions,
} from './regression/compare-groups.js';
export {
  type BaselineChoice,
  type DetectRegressionsOptions,
  detectRegressions,
  type RegressionReport,
} from './regression/detect-regressions.js';
export { type HistoryColumns, historyColumns } from './source/history-columns.js';
export { type HistorySource, openHistorySource } from './source/row-stream.js';
export { describeWindow, rollingWindow, type TimeWindow } from './source/time-window.js';
export { holmAdjust } from './statistics/holm.js';
export { type MannWhitneyResult, mannWhitneyU } from './statistics/mann-whitney.js';
export { type Alternative, normalUpperTail } from './statistics/normal.js';
export {
  binomialZTest,
  poissonRateTest,
  twoProportionZTest,
  type ZTestResult,
} from './statistics/proportion-tests.js';
export { Reservoir } from './statistics/reservoir.js';
export {
  MAD_Z_FACTOR,
  medianAbsoluteDeviation,
  quantileSorted,
  type RobustScale,
  robustZ,
  sortedCopy,
  type TukeyFences,
  tukeyFences,
} from './statistics/robust.js';
export {
  DEFAULT_SAMPLE_SIZE,
  type GroupSummary,
  groupKey,
  PERCENTILE_RELATIVE_ACCURACY,
} from './summary/group-summary.js';
export {
  type HistoryRow,
  type SummariseOptions,
  summariseRows,
  summariseWindow,
} from './summary/summarise-window.js';
export { summaryTable } from './summary/summary-table.js';
