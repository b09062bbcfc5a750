import { guardFormula, unguardFormula } from '../../src/core/csv-formula.js';
import { csvLine, parseCsv } from './csv.js';
import type { BatchExport } from './export-json.js';
import type { BatchFileRecord } from './records.js';
import { isBatchFileStatus } from './records.js';
import { BatchFormatError } from './shape.js';

/** Columns of a batch CSV export, in order: the batch's identity, then one file per line. */
export const BATCH_CSV_COLUMNS = [
  'batch_id',
  'batch_code',
  'package',
  'file',
  'status',
  'duration_seconds',
  'samples',
  'measurements',
  'bytes',
  'peak_memory_bytes',
  'error_type',
  'error_message',
  'ended_at',
] as const;

/** What a CSV export holds: the batch identity (from its rows) and the file records. */
export interface BatchCsv {
  id: string;
  code: string;
  package: string;
  files: BatchFileRecord[];
}

/**
 * The retained file records as CSV, one line per file (numbers unrounded, null as empty); a text
 * cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
export function batchToCsv(exported: BatchExport): string {
  const { id, code, package: pkg } = exported.batch;
  const lines = [csvLine(BATCH_CSV_COLUMNS)];
  for (const f of exported.files) {
    lines.push(
      csvLine([
        guardFormula(id),
        guardFormula(code),
        guardFormula(pkg),
        guardFormula(f.file),
        f.status,
        String(f.durationSeconds),
        String(f.samples),
        String(f.measurements),
        String(f.bytes),
        f.peakMemoryBytes === null ? '' : String(f.peakMemoryBytes),
        guardFormula(f.errorType ?? ''),
        guardFormula(f.errorMessage ?? ''),
        f.endedAt,
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Reads back what {@link batchToCsv} wrote (columns found by header name, extra columns
 * ignored; the `'` that guarded a formula-like text cell removed). Empty cells of optional columns
 * become null. @throws BatchFormatError with the line.
 */
export function parseBatchCsv(text: string): BatchCsv {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new BatchFormatError('the file is empty: expected a header line');
  const index = new Map(header.cells.map((name, i) => [name.trim(), i]));
  const missing = BATCH_CSV_COLUMNS.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new BatchFormatError(
      `line 1: missing column(s) ${missing.join(', ')}; expected the header of an opmeter batch CSV export`,
    );
  }
  const out: BatchCsv = { id: '', code: '', package: '', files: [] };
  rows.forEach((row, n) => {
    const cell = (name: (typeof BATCH_CSV_COLUMNS)[number]) =>
      row.cells[index.get(name) ?? -1] ?? '';
    const text = (name: (typeof BATCH_CSV_COLUMNS)[number]) => unguardFormula(cell(name));
    const count = (name: (typeof BATCH_CSV_COLUMNS)[number]) => {
      const value = cell(name) === 'NaN' ? Number.NaN : Number(cell(name));
      if (cell(name).trim() === '' || !(value >= 0 || cell(name) === 'NaN')) {
        throw new BatchFormatError(
          `line ${row.line}: ${name} "${cell(name)}" is not a number >= 0`,
        );
      }
      return value;
    };
    const status = cell('status');
    if (!isBatchFileStatus(status)) {
      throw new BatchFormatError(
        `line ${row.line}: status "${status}" is not one of success, error, skipped`,
      );
    }
    if (n === 0) {
      out.id = text('batch_id');
      out.code = text('batch_code');
      out.package = text('package');
    } else if (text('batch_id') !== out.id) {
      throw new BatchFormatError(
        `line ${row.line}: batch_id "${text('batch_id')}" differs from "${out.id}" on the first row; export one batch per file`,
      );
    }
    out.files.push({
      file: text('file'),
      status,
      durationSeconds: count('duration_seconds'),
      samples: count('samples'),
      measurements: count('measurements'),
      bytes: count('bytes'),
      peakMemoryBytes: cell('peak_memory_bytes') === '' ? null : count('peak_memory_bytes'),
      errorType: cell('error_type') === '' ? null : text('error_type'),
      errorMessage: cell('error_message') === '' ? null : text('error_message'),
      endedAt: timestamp(cell('ended_at'), row.line),
    });
  });
  return out;
}

function timestamp(text: string, line: number): string {
  if (!Number.isFinite(Date.parse(text))) {
    throw new BatchFormatError(`line ${line}: ended_at "${text}" is not an ISO 8601 timestamp`);
  }
  return text;
}
