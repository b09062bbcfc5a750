import { parseDatetime } from '../../def-metric/schema/datetime.js';
import { QuantileSketch } from '../../stats/quantile-sketch.js';
import type { HistoryColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import { type TimeWindow, windowParams } from '../source/time-window.js';
import { groupKey } from '../summary/group-summary.js';
import { num } from '../summary/summarise-window.js';

/** One time bucket of one code/operation. */
export interface SeriesBucket {
  readonly startMs: number;
  readonly count: number;
  readonly failures: number;
  readonly p50Seconds: number | null;
  readonly p95Seconds: number | null;
  readonly p99Seconds: number | null;
  readonly memoryAvgMB: number | null;
  readonly memoryMaxMB: number | null;
}

/** The buckets of one code/operation, oldest first. */
export interface GroupSeries {
  readonly code: string;
  readonly operation: string;
  readonly count: number;
  readonly buckets: readonly SeriesBucket[];
}

/** What {@link collectTimeSeries} returns. */
export interface TimeSeries {
  /** Length of a bucket: one hour for windows up to 3 days, else one day. */
  readonly bucketMs: number;
  /** The busiest groups, at most `maxGroups`. */
  readonly groups: readonly GroupSeries[];
  /** Groups left out of the charts (fewer operations than the ones shown). */
  readonly omittedGroups: number;
  /** Rows in the window. */
  readonly rows: number;
  readonly window: TimeWindow;
}

interface Totals {
  count: number;
  failures: number;
  memoryAvgMB: number | null;
  memoryMaxMB: number | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Per code/operation and time bucket: count, failures and memory by one GROUP BY on the bucket
 * (a prefix of the DATETIME text, the same SQL on both dialects), and p50/p95/p99 from one
 * streamed pass with a ±1% sketch per group and bucket.
 */
export async function collectTimeSeries(
  source: HistorySource,
  columns: HistoryColumns,
  window: TimeWindow,
  options: { maxGroups?: number; onProgress?: (read: number, total: number) => void } = {},
): Promise<TimeSeries> {
  const hourly = window.toMs - window.fromMs <= 3 * DAY_MS;
  const prefix = hourly ? 13 : 10;
  const q = source.dialect.quote;
  const bucket = `SUBSTR(${q(columns.time)}, 1, ${prefix})`;
  const where = `FROM ${q(columns.table)} WHERE ${q(columns.time)} >= ? AND ${q(columns.time)} < ?`;
  const failures = columns.success
    ? `SUM(CASE WHEN ${q(columns.success)} = 'N' THEN 1 ELSE 0 END)`
    : '0';
  const memory = columns.memory ? q(columns.memory) : 'NULL';
  const groupBy = [
    q(columns.code),
    ...(columns.code === columns.operation ? [] : [q(columns.operation)]),
    bucket,
  ];
  const rows = await source.dialect.select(
    `SELECT ${q(columns.code)} AS c, ${q(columns.operation)} AS o, ${bucket} AS b, COUNT(*) AS n, ` +
      `${failures} AS f, AVG(${memory}) AS ma, MAX(${memory}) AS mx ${where} GROUP BY ${groupBy.join(', ')}`,
    windowParams(window),
  );
  const byGroup = new Map<
    string,
    { code: string; operation: string; count: number; buckets: Map<string, Totals> }
  >();
  let total = 0;
  for (const row of rows) {
    const code = String(row.c);
    const operation = String(row.o ?? '');
    const key = groupKey(code, operation);
    let group = byGroup.get(key);
    if (!group) {
      group = { code, operation, count: 0, buckets: new Map() };
      byGroup.set(key, group);
    }
    const count = num(row.n) ?? 0;
    group.count += count;
    total += count;
    group.buckets.set(String(row.b), {
      count,
      failures: num(row.f) ?? 0,
      memoryAvgMB: num(row.ma),
      memoryMaxMB: num(row.mx),
    });
  }
  const chosen = [...byGroup.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .slice(0, options.maxGroups ?? 8);
  // By group, then by bucket: nested maps, so no key is built from the two.
  const sketches = new Map<string, Map<string, QuantileSketch>>();
  for (const [key, group] of chosen) {
    const byBucket = new Map<string, QuantileSketch>();
    for (const b of group.buckets.keys()) byBucket.set(b, new QuantileSketch());
    sketches.set(key, byBucket);
  }
  let read = 0;
  for await (const row of source.stream(
    `SELECT ${q(columns.code)} AS c, ${q(columns.operation)} AS o, ${bucket} AS b, ${q(columns.elapsed)} AS e ${where} AND ${q(columns.elapsed)} IS NOT NULL`,
    windowParams(window),
  )) {
    const sketch = sketches.get(groupKey(String(row.c), String(row.o ?? '')))?.get(String(row.b));
    sketch?.add(Number(row.e));
    if (options.onProgress && ++read % 1_000 === 0) options.onProgress(read, total);
  }
  options.onProgress?.(total, total);
  const groups = chosen.map(([key, group]) => ({
    code: group.code,
    operation: group.operation,
    count: group.count,
    buckets: [...group.buckets.entries()]
      .map(([b, t]) => {
        const sketch = sketches.get(key)?.get(b);
        const quantile = (p: number) => sketch?.quantile(p) ?? null;
        return {
          startMs: parseDatetime(hourly ? `${b}:00:00` : b) ?? 0,
          count: t.count,
          failures: t.failures,
          p50Seconds: quantile(0.5),
          p95Seconds: quantile(0.95),
          p99Seconds: quantile(0.99),
          memoryAvgMB: t.memoryAvgMB,
          memoryMaxMB: t.memoryMaxMB,
        };
      })
      .sort((a, b) => a.startMs - b.startMs),
  }));
  return {
    bucketMs: hourly ? HOUR_MS : DAY_MS,
    groups,
    omittedGroups: byGroup.size - groups.length,
    rows: total,
    window,
  };
}
