import type { DefMetricDialect, ResultRow, SqlValue } from '../../def-metric/index.js';
import { formatDatetime, parseDatetime } from '../../def-metric/schema/datetime.js';
import type { TimeWindow } from '../source/time-window.js';
import { type GroupSummary, groupKey } from '../summary/group-summary.js';
import { num } from '../summary/summarise-window.js';
import { BASELINE_TABLE, baselineTableModel } from './baseline-table.js';

/** Code and operation of the one row that defines a rolling baseline. */
const ROLLING_ROW = '*';

/** A saved baseline of one source table. */
export type SavedBaseline =
  | {
      readonly kind: 'snapshot';
      readonly name: string;
      readonly table: string;
      readonly createdAt: string;
      readonly window: TimeWindow;
      /** Statistics per group key ({@link groupKey}). */
      readonly groups: ReadonlyMap<string, GroupSummary>;
    }
  | {
      readonly kind: 'rolling';
      readonly name: string;
      readonly table: string;
      readonly createdAt: string;
      /** The window's length and the span skipped before now, in milliseconds. */
      readonly lengthMs: number;
      readonly skipMs: number;
    };

/** One line of `opmeter baseline list`. */
export interface BaselineListing {
  readonly name: string;
  readonly table: string;
  readonly kind: 'snapshot' | 'rolling';
  readonly createdAt: string;
  readonly groups: number;
  readonly operations: number;
  readonly window: string;
}

/** Creates the baseline table if it does not exist yet (both dialects). */
export async function ensureBaselineTable(
  dialect: DefMetricDialect,
  collation?: string,
): Promise<void> {
  await dialect.createTable(baselineTableModel(), await dialect.resolveCollation(collation));
}

/** Tells whether a baseline of that name is stored for `table`. */
export async function baselineExists(
  dialect: DefMetricDialect,
  name: string,
  table: string,
): Promise<boolean> {
  const q = dialect.quote;
  const rows = await dialect.select(
    `SELECT COUNT(*) AS n FROM ${q(BASELINE_TABLE)} WHERE ${q('BaselineName')} = ? AND ${q('SourceTable')} = ?`,
    [name, table],
  );
  return (num(rows[0]?.n) ?? 0) > 0;
}

/** Stores a snapshot baseline: one row per group, with its statistics and sample. */
export async function saveSnapshotBaseline(
  dialect: DefMetricDialect,
  name: string,
  table: string,
  window: TimeWindow,
  groups: Iterable<GroupSummary>,
  nowMs = Date.now(),
): Promise<number> {
  const rows: SqlValue[][] = [];
  for (const g of groups) {
    rows.push(
      baselineRow({
        BaselineName: name,
        SourceTable: table,
        CodeValue: g.code,
        OperationValue: g.operation,
        Kind: 'snapshot',
        CreatedAt: formatDatetime(nowMs),
        WindowStart: formatDatetime(window.fromMs),
        WindowEnd: formatDatetime(window.toMs),
        Operations: g.count,
        Failures: g.failures,
        ErrorRate: g.errorRate,
        MeanSeconds: g.meanSeconds,
        P50Seconds: g.p50Seconds,
        P90Seconds: g.p90Seconds,
        P95Seconds: g.p95Seconds,
        P99Seconds: g.p99Seconds,
        P999Seconds: g.p999Seconds,
        ThroughputPerHour: g.throughputPerHour,
        ItemsPerSecond: g.itemsPerSecond,
        MemoryAvgMB: g.memoryAvgMB,
        MemoryMaxMB: g.memoryMaxMB,
        SampleSeconds: g.sample.map((v) => Number(v.toPrecision(6))).join(','),
      }),
    );
  }
  await insertInChunks(dialect, rows);
  return rows.length;
}

/** Stores a rolling baseline: the window "`lengthMs` ending `skipMs` before now", computed at use. */
export async function saveRollingBaseline(
  dialect: DefMetricDialect,
  name: string,
  table: string,
  lengthMs: number,
  skipMs: number,
  nowMs = Date.now(),
): Promise<void> {
  await insertInChunks(dialect, [
    baselineRow({
      BaselineName: name,
      SourceTable: table,
      CodeValue: ROLLING_ROW,
      OperationValue: ROLLING_ROW,
      Kind: 'rolling',
      CreatedAt: formatDatetime(nowMs),
      WindowSeconds: Math.round(lengthMs / 1000),
      SkipSeconds: Math.round(skipMs / 1000),
    }),
  ]);
}

/** Deletes a baseline; resolves to the number of rows removed. */
export async function deleteBaseline(
  dialect: DefMetricDialect,
  name: string,
  table: string | undefined,
): Promise<number> {
  const q = dialect.quote;
  const where = `${q('BaselineName')} = ?${table === undefined ? '' : ` AND ${q('SourceTable')} = ?`}`;
  const params = table === undefined ? [name] : [name, table];
  const before = await dialect.select(
    `SELECT COUNT(*) AS n FROM ${q(BASELINE_TABLE)} WHERE ${where}`,
    params,
  );
  // The dialect has no generic write statement; its select() runs any parameterised statement.
  await dialect.select(`DELETE FROM ${q(BASELINE_TABLE)} WHERE ${where}`, params);
  return num(before[0]?.n) ?? 0;
}

/** Lists the stored baselines, newest first. */
export async function listBaselines(dialect: DefMetricDialect): Promise<BaselineListing[]> {
  const q = dialect.quote;
  const rows = await dialect.select(
    `SELECT ${q('BaselineName')} AS name, ${q('SourceTable')} AS tbl, MIN(${q('Kind')}) AS kind, ` +
      `MAX(${q('CreatedAt')}) AS created, COUNT(*) AS n, SUM(${q('Operations')}) AS ops, ` +
      `MIN(${q('WindowStart')}) AS ws, MAX(${q('WindowEnd')}) AS we, MAX(${q('WindowSeconds')}) AS len, ` +
      `MAX(${q('SkipSeconds')}) AS skip FROM ${q(BASELINE_TABLE)} ` +
      `GROUP BY ${q('BaselineName')}, ${q('SourceTable')} ORDER BY MAX(${q('CreatedAt')}) DESC, ${q('BaselineName')}`,
    [],
  );
  return rows.map((row) => {
    const kind = row.kind === 'rolling' ? 'rolling' : 'snapshot';
    return {
      name: String(row.name),
      table: String(row.tbl),
      kind,
      createdAt: String(row.created),
      groups: kind === 'rolling' ? 0 : (num(row.n) ?? 0),
      operations: num(row.ops) ?? 0,
      window:
        kind === 'rolling'
          ? `${seconds(row.len)} before the last ${seconds(row.skip)}`
          : `${String(row.ws)} … ${String(row.we)}`,
    };
  });
}

/** Loads one baseline of `table`; throws naming the stored ones when it does not exist. */
export async function loadBaseline(
  dialect: DefMetricDialect,
  name: string,
  table: string,
): Promise<SavedBaseline> {
  const q = dialect.quote;
  const rows = await dialect.select(
    `SELECT * FROM ${q(BASELINE_TABLE)} WHERE ${q('BaselineName')} = ? AND ${q('SourceTable')} = ? ` +
      `ORDER BY ${q('CodeValue')}, ${q('OperationValue')}`,
    [name, table],
  );
  const first = rows[0];
  if (!first) {
    const known = (await listBaselines(dialect))
      .filter((b) => b.table === table)
      .map((b) => b.name);
    throw new Error(
      `no baseline '${name}' for ${table} (stored: ${known.join(', ') || 'none'}); save one with 'opmeter baseline save'`,
    );
  }
  const createdAt = String(first.CreatedAt);
  if (first.Kind === 'rolling') {
    return {
      kind: 'rolling',
      name,
      table,
      createdAt,
      lengthMs: (num(first.WindowSeconds) ?? 0) * 1000,
      skipMs: (num(first.SkipSeconds) ?? 0) * 1000,
    };
  }
  const window = {
    fromMs: parseDatetime(String(first.WindowStart)) ?? 0,
    toMs: parseDatetime(String(first.WindowEnd)) ?? 0,
  };
  const hours = (window.toMs - window.fromMs) / 3_600_000;
  const groups = new Map<string, GroupSummary>();
  for (const row of rows)
    groups.set(groupKey(String(row.CodeValue), String(row.OperationValue)), summaryOf(row, hours));
  return { kind: 'snapshot', name, table, createdAt, window, groups };
}

function summaryOf(row: ResultRow, hours: number): GroupSummary {
  const sampleText = String(row.SampleSeconds ?? '');
  const sample = sampleText === '' ? [] : sampleText.split(',').map(Number);
  return {
    code: String(row.CodeValue),
    operation: String(row.OperationValue),
    count: num(row.Operations) ?? 0,
    failures: num(row.Failures) ?? 0,
    errorRate: num(row.ErrorRate) ?? 0,
    meanSeconds: num(row.MeanSeconds),
    p50Seconds: num(row.P50Seconds),
    p90Seconds: num(row.P90Seconds),
    p95Seconds: num(row.P95Seconds),
    p99Seconds: num(row.P99Seconds),
    p999Seconds: num(row.P999Seconds),
    throughputPerHour: num(row.ThroughputPerHour) ?? 0,
    itemsPerSecond: num(row.ItemsPerSecond),
    memoryAvgMB: num(row.MemoryAvgMB),
    memoryMaxMB: num(row.MemoryMaxMB),
    windowHours: hours,
    sample,
    aboveThreshold: 0,
    timed: num(row.Operations) ?? 0,
  };
}

/** A row of the baseline table in column order; absent columns take NULL. */
function baselineRow(values: Record<string, SqlValue | undefined>): SqlValue[] {
  return baselineTableModel().columns.map((c) => values[c.name] ?? null);
}

/** Rows per INSERT: the sample column makes rows large, so batches stay small. */
const ROWS_PER_INSERT = 50;

async function insertInChunks(dialect: DefMetricDialect, rows: SqlValue[][]): Promise<void> {
  const model = baselineTableModel();
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await dialect.insertRows(model, rows.slice(start, start + ROWS_PER_INSERT));
  }
}

function seconds(value: ResultRow[string]): string {
  const s = num(value) ?? 0;
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3_600 === 0) return `${s / 3_600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
