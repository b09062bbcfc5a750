import { guardFormula } from '../core/csv-formula.js';
import { terminalText } from '../core/terminal-text.js';
import type { ReportResult } from '../def-metric/index.js';

/** Output formats of report commands. */
export type OutputFormat = 'table' | 'json' | 'csv';

/**
 * Renders a report as an aligned text table (control characters escaped), JSON (array of objects)
 * or CSV (RFC 4180, text cells that a spreadsheet would run as a formula prefixed with `'`).
 */
export function formatReport(result: ReportResult, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(result.rows, null, 2)}\n`;
  if (format === 'csv') {
    const lines = [
      result.columns,
      ...result.rows.map((row) => result.columns.map((c) => row[c] ?? null)),
    ];
    return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
  }
  const cells = result.rows.map((row) => result.columns.map((c) => textCell(row[c] ?? null)));
  const widths = result.columns.map((c, i) =>
    Math.max(c.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const numeric = result.columns.map((c) => result.rows.some((row) => typeof row[c] === 'number'));
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const render = (line: readonly string[]) => line.map(pad).join('  ').trimEnd();
  return `${[render(result.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(render)].join('\n')}\n`;
}

function textCell(value: string | number | null): string {
  return value === null ? '' : terminalText(String(value));
}

function csvCell(value: string | number | null): string {
  const text =
    value === null ? '' : typeof value === 'string' ? guardFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
