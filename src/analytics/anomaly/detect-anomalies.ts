import type { TableModel } from '../../def-metric/index.js';
import { type HistoryColumns, historyColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import { type TimeWindow, windowParams } from '../source/time-window.js';
import { Reservoir } from '../statistics/reservoir.js';
import {
  medianAbsoluteDeviation,
  medianSorted,
  robustZ,
  sortedCopy,
  tukeyFences,
} from '../statistics/robust.js';
import { groupKey } from '../summary/group-summary.js';
import { num } from '../summary/summarise-window.js';

/** How an outlier is recognised within its code/operation group. */
export type AnomalyMethod = 'robust-z' | 'iqr';
/** The per-row value that is scored. */
export type AnomalyMetric = 'duration' | 'memory' | 'throughput';
/** Every metric, in report order. */
export const ANOMALY_METRICS: readonly AnomalyMetric[] = ['duration', 'memory', 'throughput'];

/** Default cut-offs: |modified z| > 3.5 (Iglewicz and Hoaglin), or outside Q1 − 3·IQR … Q3 + 3·IQR. */
export const DEFAULT_ANOMALY_THRESHOLD: Readonly<Record<AnomalyMethod, number>> = {
  'robust-z': 3.5,
  iqr: 3,
};

/** Options of {@link detectAnomalies}. */
export interface AnomalyOptions {
  readonly window: TimeWindow;
  /** `robust-z` (median/MAD, default) or `iqr` (Tukey's fences). */
  readonly method?: AnomalyMethod;
  /** |z| above this (robust-z), or k of the fences (iqr); defaults in {@link DEFAULT_ANOMALY_THRESHOLD}. */
  readonly threshold?: number;
  /** Metrics to score (default: those the table has). */
  readonly metrics?: readonly AnomalyMetric[];
  /**
   * `log` (default) scores the logarithm of the value: durations, memory and throughput are
   * positive and right-skewed, and on the log scale a 10× slowdown is as far out as a 10× speed-up;
   * values ≤ 0 are then not scored. `linear` scores the values themselves.
   */
  readonly scale?: 'log' | 'linear';
  /** Values kept per group and metric to estimate the median, MAD and quartiles (default 4096). */
  readonly sampleSize?: number;
  /** Groups with fewer rows are not scored (default 30). */
  readonly minOperations?: number;
  /** Anomalies returned, the most extreme first (default 100); all are counted. */
  readonly limit?: number;
  readonly onProgress?: (read: number, total: number) => void;
}

/** One outlying operation. */
export interface Anomaly {
  readonly guid: string | null;
  readonly time: string;
  readonly code: string;
  readonly operation: string;
  readonly metric: AnomalyMetric;
  readonly value: number;
  /** The group's median of the metric (on the original scale). */
  readonly median: number;
  /** Modified z-score, or for iqr the distance beyond the fence in IQRs (signed). */
  readonly score: number;
  readonly direction: 'high' | 'low';
}

/** The result of {@link detectAnomalies}. */
export interface AnomalyReport {
  readonly method: AnomalyMethod;
  readonly threshold: number;
  /** Rows read in the scoring pass. */
  readonly rows: number;
  /** Outliers found, all counted (the list holds at most `limit`). */
  readonly total: number;
  readonly anomalies: readonly Anomaly[];
}

interface Scale {
  readonly median: number;
  /** Returns the signed score of a transformed value, or 0 when inside. */
  score(x: number): number;
}

/**
 * Lists the operations whose duration, memory or throughput is an outlier within their
 * code/operation group, with the row's GUID and time. Two streamed passes: the first keeps a
 * random sample per group and metric (median, MAD and quartiles from up to 4096 values), the
 * second scores every row. Memory is bounded by groups × metrics × sample size plus `limit`.
 */
export async function detectAnomalies(
  source: HistorySource,
  table: TableModel,
  options: AnomalyOptions,
): Promise<AnomalyReport> {
  const columns = historyColumns(table);
  const method = options.method ?? 'robust-z';
  const threshold = options.threshold ?? DEFAULT_ANOMALY_THRESHOLD[method];
  const log = (options.scale ?? 'log') === 'log';
  const metrics = (options.metrics ?? ANOMALY_METRICS).filter((m) => metricColumn(columns, m));
  const transform = (v: number) => (log ? (v > 0 ? Math.log(v) : undefined) : v);
  const sql = scoringSql(source, columns, metrics);
  const params = windowParams(options.window);
  const sampleSize = options.sampleSize ?? 4096;
  // By group, then by metric: nested maps, so no key is built from the two.
  const samples = new Map<string, Map<AnomalyMetric, Reservoir>>();
  let reservoirs = 0;
  let total = 0;
  for await (const row of source.stream(sql, params)) {
    total++;
    const group = groupKey(String(row.c), String(row.o ?? ''));
    let byMetric = samples.get(group);
    metrics.forEach((metric, i) => {
      const value = num(row[`m${i}`] as string | number | null);
      const x = value === null ? undefined : transform(value);
      if (x === undefined) return;
      if (!byMetric) {
        byMetric = new Map();
        samples.set(group, byMetric);
      }
      let reservoir = byMetric.get(metric);
      if (!reservoir) {
        reservoir = new Reservoir(sampleSize, ++reservoirs);
        byMetric.set(metric, reservoir);
      }
      reservoir.add(x);
    });
    if (options.onProgress && total % 1_000 === 0) options.onProgress(total, 2 * total);
  }
  const scales = new Map<string, Map<AnomalyMetric, Scale>>();
  for (const [group, byMetric] of samples) {
    for (const [metric, reservoir] of byMetric) {
      if (reservoir.count < (options.minOperations ?? 30)) continue;
      const scale = scaleOf(sortedCopy(reservoir.values()), method, threshold, log);
      if (!scale) continue;
      let scaled = scales.get(group);
      if (!scaled) {
        scaled = new Map();
        scales.set(group, scaled);
      }
      scaled.set(metric, scale);
    }
  }
  const limit = options.limit ?? 100;
  let kept: Anomaly[] = [];
  let found = 0;
  let read = 0;
  for await (const row of source.stream(sql, params)) {
    read++;
    if (options.onProgress && read % 1_000 === 0) options.onProgress(total + read, 2 * total);
    const code = String(row.c);
    const operation = String(row.o ?? '');
    const scaled = scales.get(groupKey(code, operation));
    metrics.forEach((metric, i) => {
      const value = num(row[`m${i}`] as string | number | null);
      const x = value === null ? undefined : transform(value);
      const scale = scaled?.get(metric);
      if (x === undefined || value === null || !scale) return;
      const score = scale.score(x);
      if (score === 0) return;
      found++;
      kept.push({
        guid: row.g === undefined || row.g === null ? null : String(row.g),
        time: String(row.t),
        code,
        operation,
        metric,
        value,
        median: log ? Math.exp(scale.median) : scale.median,
        score,
        direction: score > 0 ? 'high' : 'low',
      });
      if (kept.length > 2 * limit) kept = mostExtreme(kept, limit);
    });
  }
  options.onProgress?.(2 * total, 2 * total);
  return { method, threshold, rows: read, total: found, anomalies: mostExtreme(kept, limit) };
}

function mostExtreme(anomalies: Anomaly[], limit: number): Anomaly[] {
  return anomalies.sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, limit);
}

function scaleOf(
  sorted: readonly number[],
  method: AnomalyMethod,
  threshold: number,
  log: boolean,
): Scale | undefined {
  const median = medianSorted(sorted);
  if (median === undefined) return undefined;
  if (method === 'robust-z') {
    const mad = medianAbsoluteDeviation(sorted) ?? 0;
    // A group whose values are (almost) all equal has MAD 0: score nothing rather than everything.
    if (!(mad > (log ? 1e-9 : 0))) return undefined;
    return {
      median,
      score: (x) => {
        const z = robustZ(x, { median, mad });
        return Math.abs(z) > threshold ? z : 0;
      },
    };
  }
  const fences = tukeyFences(sorted, threshold);
  if (!fences || !(fences.q3 > fences.q1)) return undefined;
  const iqr = fences.q3 - fences.q1;
  return {
    median,
    score: (x) => {
      if (x > fences.upper) return (x - fences.q3) / iqr;
      if (x < fences.lower) return (x - fences.q1) / iqr;
      return 0;
    },
  };
}

function metricColumn(columns: HistoryColumns, metric: AnomalyMetric): string | undefined {
  if (metric === 'duration') return columns.elapsed;
  if (metric === 'memory') return columns.memory;
  return columns.rate;
}

function scoringSql(
  source: HistorySource,
  columns: HistoryColumns,
  metrics: readonly AnomalyMetric[],
): string {
  const q = source.dialect.quote;
  const values = metrics.map((m, i) => `${q(metricColumn(columns, m) as string)} AS m${i}`);
  return (
    `SELECT ${q(columns.code)} AS c, ${q(columns.operation)} AS o, ${q(columns.time)} AS t, ` +
    `${columns.guid ? q(columns.guid) : 'NULL'} AS g${values.map((v) => `, ${v}`).join('')} ` +
    `FROM ${q(columns.table)} WHERE ${q(columns.time)} >= ? AND ${q(columns.time)} < ?`
  );
}
