import { type BatchCsv, parseBatchCsv } from './export-csv.js';
import { type BatchExport, parseBatchJson } from './export-json.js';
import { spanSecondsOf, summarizeFiles } from './summary.js';

/**
 * A CSV export as a full {@link BatchExport}: the summary is recomputed from the rows, with
 * wall-clock time taken as the span from the earliest file start to the latest file end (the start
 * left empty when that span reaches before the earliest date JavaScript can show).
 */
export function batchFromCsv(csv: BatchCsv): BatchExport {
  const elapsed = spanSecondsOf(csv.files);
  let last = Number.NEGATIVE_INFINITY;
  for (const file of csv.files) last = Math.max(last, Date.parse(file.endedAt));
  const ended = Number.isFinite(last) ? new Date(last) : null;
  return {
    batch: {
      id: csv.id,
      code: csv.code,
      package: csv.package,
      startedAt: ended === null ? '' : isoOrEmpty(ended.getTime() - elapsed * 1000),
      endedAt: ended === null ? null : ended.toISOString(),
      elapsedSeconds: elapsed,
      totalFiles: null,
    },
    summary: summarizeFiles(csv.files, elapsed),
    files: csv.files,
  };
}

/** The ISO 8601 text of `ms`, or '' when no date can show it (a span of 1e308 seconds). */
function isoOrEmpty(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/**
 * Reads a JSON or CSV batch export: JSON when `name` ends in `.json` or the text starts with
 * `{`, CSV otherwise. @throws BatchFormatError saying what is wrong and where.
 */
export function parseBatchExport(text: string, name = ''): BatchExport {
  const lower = name.toLowerCase();
  const json =
    lower.endsWith('.json') || (!lower.endsWith('.csv') && text.trimStart().startsWith('{'));
  return json ? parseBatchJson(text) : batchFromCsv(parseBatchCsv(text));
}
