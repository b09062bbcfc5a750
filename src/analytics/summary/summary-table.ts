import type { ReportResult } from '../../def-metric/index.js';
import type { GroupSummary } from './group-summary.js';

/** Group statistics as a report table: seconds to 3 decimals, error rate in %, p99.9 included. */
export function summaryTable(groups: readonly GroupSummary[]): ReportResult {
  const round = (v: number | null, digits = 3) => (v === null ? null : Number(v.toFixed(digits)));
  return {
    columns: [
      'Code',
      'Operation',
      'Operations',
      'ErrorRate%',
      'Mean',
      'P50',
      'P90',
      'P95',
      'P99',
      'P99.9',
      'PerHour',
      'MemoryAvgMB',
      'MemoryMaxMB',
    ],
    rows: groups.map((g) => ({
      Code: g.code,
      Operation: g.operation,
      Operations: g.count,
      'ErrorRate%': round(g.errorRate * 100, 2),
      Mean: round(g.meanSeconds),
      P50: round(g.p50Seconds),
      P90: round(g.p90Seconds),
      P95: round(g.p95Seconds),
      P99: round(g.p99Seconds),
      'P99.9': round(g.p999Seconds),
      PerHour: round(g.throughputPerHour, 1),
      MemoryAvgMB: round(g.memoryAvgMB, 2),
      MemoryMaxMB: round(g.memoryMaxMB, 2),
    })),
  };
}
