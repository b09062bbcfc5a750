import type { DefMetricDialect, SqlValue } from '../dialect/dialect.js';
import { formatDatetime } from '../schema/datetime.js';
import { findColumn, type TableModel } from '../schema/table-model.js';

/** The guide's three reports. */
export type ReportName = 'slowest' | 'memory' | 'errors';

/** Names of the reports, in CLI order. */
export const REPORT_NAMES: readonly ReportName[] = ['slowest', 'memory', 'errors'];

/** Default time window of each report (the guide's: 7, 30 and 7 days). */
export const REPORT_DEFAULT_SINCE_MS: Readonly<Record<ReportName, number>> = {
  slowest: 7 * 86_400_000,
  memory: 30 * 86_400_000,
  errors: 7 * 86_400_000,
};

/** Options shared by the reports. */
export interface ReportOptions {
  /** Only rows newer than this many milliseconds (default: the report's own window). */
  readonly sinceMs?: number;
  /** Rows returned by `slowest` (default 10). */
  readonly limit?: number;
  /** `errors` keeps operations whose error rate in percent is above this (default 1.0). */
  readonly minErrorRate?: number;
  /** Current time, for tests (default `Date.now()`). */
  readonly now?: number;
}

/** A report's result: column names in order and one record per row. */
export interface ReportResult {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string | number | null>[];
}

/** A built report statement: SQL, its parameters, and how to round each numeric output column. */
interface ReportQuery {
  readonly sql: string;
  readonly params: SqlValue[];
  readonly columns: readonly string[];
  readonly decimals: Readonly<Record<string, number>>;
}

const TIME_COLUMN = 'AxionImportTime';

/**
 * The column a report groups operations by: `OperationName` when the table has it, else the
 * table's code column (the first primary-key column, e.g. `EndpointCode`).
 */
export function operationColumn(table: TableModel): string {
  return findColumn(table, 'OperationName') ? 'OperationName' : codeColumn(table);
}

/** The table's code column: the first primary-key column (e.g. `WorkflowCode`). */
export function codeColumn(table: TableModel): string {
  const code = table.primaryKey[0] ?? table.columns[0]?.name;
  if (code === undefined) throw new Error(`table ${table.name} has no columns`);
  return code;
}

/** Slowest operations: average ElapsedSeconds (and ItemsPerSecond) by code and operation. */
export function slowestOperations(
  dialect: DefMetricDialect,
  table: TableModel,
  options: ReportOptions = {},
): Promise<ReportResult> {
  return runReport(dialect, table, 'slowest', options);
}

/** Memory trend: average and peak MemoryUsageMB per day. */
export function memoryTrend(
  dialect: DefMetricDialect,
  table: TableModel,
  options: ReportOptions = {},
): Promise<ReportResult> {
  return runReport(dialect, table, 'memory', options);
}

/** Error rate by operation: operations whose share of OperationSuccess = 'N' is above a threshold. */
export function errorRateByOperation(
  dialect: DefMetricDialect,
  table: TableModel,
  options: ReportOptions = {},
): Promise<ReportResult> {
  return runReport(dialect, table, 'errors', options);
}

/** Runs one of the reports on any def_metric table in either dialect. */
export async function runReport(
  dialect: DefMetricDialect,
  table: TableModel,
  report: ReportName,
  options: ReportOptions = {},
): Promise<ReportResult> {
  const query = buildReportQuery(dialect.quote, table, report, options);
  const raw = await dialect.select(query.sql, query.params);
  const rows = raw.map((row) => {
    const out: Record<string, string | number | null> = {};
    for (const column of query.columns) out[column] = cell(row[column], query.decimals[column]);
    return out;
  });
  return { columns: query.columns, rows };
}

/** Builds the parameterised SQL of a report; identifiers come from the table model only. */
export function buildReportQuery(
  quote: (identifier: string) => string,
  table: TableModel,
  report: ReportName,
  options: ReportOptions = {},
): ReportQuery {
  const need = (column: string): string => {
    if (!findColumn(table, column)) {
      throw new Error(
        `the ${report} report needs column ${column}, which ${table.name} does not have`,
      );
    }
    return quote(column);
  };
  const time = need(TIME_COLUMN);
  const sinceMs = options.sinceMs ?? REPORT_DEFAULT_SINCE_MS[report];
  if (!(sinceMs > 0)) throw new Error('the time window must be positive, e.g. --since 7d');
  const cutoff = formatDatetime((options.now ?? Date.now()) - sinceMs);
  const from = `FROM ${quote(table.name)} WHERE ${time} >= ?`;
  if (report === 'memory') {
    const memory = need('MemoryUsageMB');
    return {
      sql:
        `SELECT DATE(${time}) AS ${quote('Date')}, AVG(${memory}) AS ${quote('AvgMemory')}, ` +
        `MAX(${memory}) AS ${quote('PeakMemory')} ${from} GROUP BY DATE(${time}) ORDER BY DATE(${time})`,
      params: [cutoff],
      columns: ['Date', 'AvgMemory', 'PeakMemory'],
      decimals: { AvgMemory: 2, PeakMemory: 2 },
    };
  }
  const operation = operationColumn(table);
  if (report === 'errors') {
    const success = need('OperationSuccess');
    const failures = `SUM(CASE WHEN ${success} = ? THEN 1 ELSE 0 END)`;
    const rate = `ROUND(${failures} * 100.0 / COUNT(*), 2)`;
    return {
      sql:
        `SELECT ${quote(operation)} AS ${quote(operation)}, COUNT(*) AS ${quote('TotalOps')}, ` +
        `${failures} AS ${quote('Failures')}, ${rate} AS ${quote('ErrorRate')} ${from} ` +
        `GROUP BY ${quote(operation)} HAVING ${rate} > ? ORDER BY ${rate} DESC, ${quote(operation)}`,
      params: ['N', 'N', cutoff, 'N', options.minErrorRate ?? 1.0, 'N'],
      columns: [operation, 'TotalOps', 'Failures', 'ErrorRate'],
      decimals: { ErrorRate: 2 },
    };
  }
  const elapsed = need('ElapsedSeconds');
  const code = codeColumn(table);
  const groups = code === operation ? [code] : [code, operation];
  const hasRate = findColumn(table, 'ItemsPerSecond') !== undefined;
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error('the row limit must be a positive integer');
  const selected = [
    ...groups.map((g) => `${quote(g)} AS ${quote(g)}`),
    `AVG(${elapsed}) AS ${quote('AvgTime')}`,
    ...(hasRate ? [`AVG(${quote('ItemsPerSecond')}) AS ${quote('AvgRate')}`] : []),
    `COUNT(*) AS ${quote('Operations')}`,
  ];
  return {
    sql:
      `SELECT ${selected.join(', ')} ${from} GROUP BY ${groups.map(quote).join(', ')} ` +
      `ORDER BY AVG(${elapsed}) DESC, ${groups.map(quote).join(', ')} LIMIT ?`,
    params: [cutoff, limit],
    columns: [...groups, 'AvgTime', ...(hasRate ? ['AvgRate'] : []), 'Operations'],
    decimals: { AvgTime: 3, AvgRate: 2 },
  };
}

function cell(value: unknown, decimals: number | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number')
    return decimals === undefined ? value : Number(value.toFixed(decimals));
  if (
    typeof value === 'string' &&
    decimals !== undefined &&
    value !== '' &&
    !Number.isNaN(Number(value))
  ) {
    return Number(Number(value).toFixed(decimals));
  }
  return value instanceof Date ? value.toISOString() : String(value);
}
