import type { ResultRow } from '../../def-metric/index.js';
import type { HistoryColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import { type TimeWindow, windowHours, windowParams } from '../source/time-window.js';
import {
  DEFAULT_SAMPLE_SIZE,
  GroupAccumulator,
  type GroupSummary,
  type GroupTotals,
  groupKey,
} from './group-summary.js';

/** Options of {@link summariseWindow}. */
export interface SummariseOptions {
  /** Values kept per group for the rank test (default 2000). */
  readonly sampleSize?: number;
  /** Seed of the sampling, for reproducible runs (default 1). */
  readonly seed?: number;
  /** Per group key, count the values above this (the recent window against a baseline p95). */
  readonly thresholds?: ReadonlyMap<string, number>;
  /** Called as rows stream by: rows read so far and the total the GROUP BY counted. */
  readonly onProgress?: (read: number, total: number) => void;
}

/**
 * The statistics of every code/operation of a table over a window, in two statements: counts,
 * failures, sums and memory by a GROUP BY in the database, then one streamed pass over
 * (code, operation, ElapsedSeconds) for the percentiles (±1% sketch) and a bounded sample.
 * Memory: one sketch and one sample per group, whatever the row count.
 */
export async function summariseWindow(
  source: HistorySource,
  columns: HistoryColumns,
  window: TimeWindow,
  options: SummariseOptions = {},
): Promise<Map<string, GroupSummary>> {
  const totals = await groupTotals(source, columns, window);
  let total = 0;
  for (const t of totals.values()) total += t.count;
  const q = source.dialect.quote;
  const groups = new GroupCollector(options);
  const sql =
    `SELECT ${q(columns.code)} AS c, ${q(columns.operation)} AS o, ${q(columns.elapsed)} AS e ` +
    `FROM ${q(columns.table)} WHERE ${q(columns.time)} >= ? AND ${q(columns.time)} < ? ` +
    `AND ${q(columns.elapsed)} IS NOT NULL`;
  let read = 0;
  for await (const row of source.stream(sql, windowParams(window))) {
    groups.add(String(row.c), String(row.o ?? ''), Number(row.e));
    if (options.onProgress && ++read % 1_000 === 0) options.onProgress(read, total);
  }
  options.onProgress?.(total, total);
  return groups.summarise(totals, windowHours(window));
}

/** One operation of an in-memory history, for {@link summariseRows}. */
export interface HistoryRow {
  readonly code: string;
  readonly operation: string;
  /** ElapsedSeconds, or null when not recorded. */
  readonly elapsed: number | null;
  readonly success: boolean;
  readonly memoryMB?: number | null;
  readonly items?: number | null;
}

/**
 * The same statistics as {@link summariseWindow} for rows already in memory (e.g. read from an
 * export), over a window of `hours`.
 */
export function summariseRows(
  rows: Iterable<HistoryRow>,
  hours: number,
  options: Omit<SummariseOptions, 'onProgress'> = {},
): Map<string, GroupSummary> {
  const groups = new GroupCollector(options);
  type Running = GroupTotals & { memoryCount: number; memorySum: number };
  const totals = new Map<string, Running>();
  const byCode = new Map<string, Map<string, Running>>();
  for (const row of rows) {
    let byOperation = byCode.get(row.code);
    if (!byOperation) {
      byOperation = new Map();
      byCode.set(row.code, byOperation);
    }
    let t = byOperation.get(row.operation);
    if (!t) {
      t = {
        count: 0,
        failures: 0,
        sumSeconds: 0,
        memoryAvgMB: null,
        memoryMaxMB: null,
        items: null,
        memoryCount: 0,
        memorySum: 0,
      };
      byOperation.set(row.operation, t);
      totals.set(groupKey(row.code, row.operation), t);
    }
    t.count++;
    if (!row.success) t.failures++;
    if (row.items !== undefined && row.items !== null) t.items = (t.items ?? 0) + row.items;
    if (row.memoryMB !== undefined && row.memoryMB !== null) {
      t.memoryCount++;
      t.memorySum += row.memoryMB;
      t.memoryAvgMB = t.memorySum / t.memoryCount;
      t.memoryMaxMB = Math.max(t.memoryMaxMB ?? row.memoryMB, row.memoryMB);
    }
    if (row.elapsed !== null) {
      t.sumSeconds += row.elapsed;
      groups.add(row.code, row.operation, row.elapsed);
    }
  }
  return groups.summarise(totals, hours);
}

/** Accumulators by group key, created on first sight with their own sampling seed. */
class GroupCollector {
  private readonly accumulators = new Map<string, GroupAccumulator>();
  /** The same accumulators by code, then operation: no key string built per row. */
  private readonly byCode = new Map<string, Map<string, GroupAccumulator>>();

  constructor(private readonly options: Omit<SummariseOptions, 'onProgress'>) {}

  add(code: string, operation: string, seconds: number): void {
    let byOperation = this.byCode.get(code);
    if (!byOperation) {
      byOperation = new Map();
      this.byCode.set(code, byOperation);
    }
    let accumulator = byOperation.get(operation);
    if (!accumulator) {
      const key = groupKey(code, operation);
      accumulator = new GroupAccumulator(
        code,
        operation,
        this.options.sampleSize ?? DEFAULT_SAMPLE_SIZE,
        (this.options.seed ?? 1) + this.accumulators.size,
        this.options.thresholds?.get(key),
      );
      this.accumulators.set(key, accumulator);
      byOperation.set(operation, accumulator);
    }
    accumulator.add(seconds);
  }

  /** One summary per group that the totals know. */
  summarise(totals: ReadonlyMap<string, GroupTotals>, hours: number): Map<string, GroupSummary> {
    const out = new Map<string, GroupSummary>();
    for (const [key, t] of totals) {
      const [code, operation] = JSON.parse(key) as [string, string];
      const accumulator =
        this.accumulators.get(key) ?? new GroupAccumulator(code, operation, 0, 1, undefined);
      out.set(key, accumulator.summarise(t, hours));
    }
    return out;
  }
}

/** COUNT, failures, SUM(ElapsedSeconds), memory and items per code/operation, computed by SQL. */
export async function groupTotals(
  source: HistorySource,
  columns: HistoryColumns,
  window: TimeWindow,
): Promise<Map<string, GroupTotals>> {
  const q = source.dialect.quote;
  const failures = columns.success
    ? `SUM(CASE WHEN ${q(columns.success)} = 'N' THEN 1 ELSE 0 END)`
    : '0';
  const memory = columns.memory ? q(columns.memory) : 'NULL';
  const items = columns.items ? `SUM(${q(columns.items)})` : 'NULL';
  const groups = [
    q(columns.code),
    ...(columns.code === columns.operation ? [] : [q(columns.operation)]),
  ];
  const sql =
    `SELECT ${q(columns.code)} AS c, ${q(columns.operation)} AS o, COUNT(*) AS n, ${failures} AS f, ` +
    `SUM(${q(columns.elapsed)}) AS s, AVG(${memory}) AS ma, MAX(${memory}) AS mx, ${items} AS it ` +
    `FROM ${q(columns.table)} WHERE ${q(columns.time)} >= ? AND ${q(columns.time)} < ? ` +
    `GROUP BY ${groups.join(', ')}`;
  const rows = await source.dialect.select(sql, windowParams(window));
  const out = new Map<string, GroupTotals>();
  for (const row of rows) {
    out.set(groupKey(String(row.c), String(row.o ?? '')), {
      count: num(row.n) ?? 0,
      failures: num(row.f) ?? 0,
      sumSeconds: num(row.s) ?? 0,
      memoryAvgMB: num(row.ma),
      memoryMaxMB: num(row.mx),
      items: num(row.it),
    });
  }
  return out;
}

/** A numeric SQL result (number, bigint or decimal string) as a number; null stays null. */
export function num(value: ResultRow[string]): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
