import { terminalText } from '../core/terminal-text.js';
import type { OperationStatsSnapshot } from './operation-stats.js';
import type { SessionStatsSnapshot } from './session-stats.js';

const HEADERS = [
  'domain',
  'operation',
  'ops',
  'items',
  'items/s',
  'errors',
  'err %',
  'avg',
  'p50',
  'p95',
  'p99',
  'p99.9',
];

/** Renders a stats snapshot as an aligned text table with a totals line (control characters escaped). */
export function formatStatsTable(snapshot: SessionStatsSnapshot): string {
  const rows = snapshot.operations.map(rowOf);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const { totals } = snapshot;
  return [
    line(HEADERS),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `total: ${totals.operations} operations, ${totals.items} items, ${totals.errors} errors ` +
      `(${totals.errorRate.toFixed(2)}%), ${totals.totalSeconds.toFixed(3)}s busy, ` +
      `uptime ${snapshot.uptimeSeconds.toFixed(1)}s`,
  ].join('\n');
}

function rowOf(op: OperationStatsSnapshot): string[] {
  return [
    terminalText(op.domain),
    terminalText(op.operation),
    String(op.operations),
    String(op.items),
    op.itemsPerSecond.toFixed(1),
    String(op.errors),
    op.errorRate.toFixed(2),
    formatSeconds(op.averageSeconds),
    formatSeconds(op.p50Seconds),
    formatSeconds(op.p95Seconds),
    formatSeconds(op.p99Seconds),
    formatSeconds(op.p999Seconds),
  ];
}

/** Formats a duration in seconds with a unit that keeps 3 significant figures (µs, ms, s). */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 0.001) return `${(seconds * 1e6).toPrecision(3)}µs`;
  if (seconds < 1) return `${(seconds * 1e3).toPrecision(3)}ms`;
  return `${seconds.toPrecision(3)}s`;
}
