import { terminalText } from '../../src/core/terminal-text.js';
import type { BatchInfo } from './records.js';
import type { BatchSummary } from './summary.js';

const BYTES_PER_MB = 1024 * 1024;

/**
 * Renders a batch summary as aligned plain text: identity lines, a table of figures (counts as
 * integers, percentages and rates to 2 decimals, seconds to 3) and the error breakdown by type;
 * control characters in stored text are escaped.
 */
export function formatBatchSummary(batch: BatchInfo, summary: BatchSummary): string {
  const { files, timing: t, throughput: r, totals, errors } = summary;
  const seconds = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  const fixed2 = (v: number) => v.toFixed(2);
  const figures: [string, string][] = [
    ['files', String(files.total)],
    ['  succeeded', String(files.success)],
    ['  failed', String(files.error)],
    ['  skipped', String(files.skipped)],
    ['success rate %', fixed2(summary.successRatePercent)],
    ['error rate %', fixed2(errors.ratePercent)],
    ['elapsed s', seconds(t.totalSeconds)],
    ['file time sum s', seconds(t.sumSeconds)],
    ['file time mean s', seconds(t.meanSeconds)],
    [`file time median s${t.medianApproximate ? ' (approx.)' : ''}`, seconds(t.medianSeconds)],
    ['file time min s', seconds(t.minSeconds)],
    ['file time max s', seconds(t.maxSeconds)],
    ['file time stddev s', seconds(t.stddevSeconds)],
    ['files/s', fixed2(r.filesPerSecond)],
    ['samples/s', fixed2(r.samplesPerSecond)],
    ['measurements/s', fixed2(r.measurementsPerSecond)],
    ['bytes/s', fixed2(r.bytesPerSecond)],
    ['samples', String(totals.samples)],
    ['measurements', String(totals.measurements)],
    ['bytes', String(totals.bytes)],
    [
      'peak memory MB',
      summary.peakMemoryBytes === null ? '-' : fixed2(summary.peakMemoryBytes / BYTES_PER_MB),
    ],
  ];
  const lines = [
    terminalText(`batch     ${batch.code} (package ${batch.package}, id ${batch.id})`),
    terminalText(`started   ${batch.startedAt || '-'}`),
    terminalText(`ended     ${batch.endedAt ?? '-'}`),
    '',
    ...table(['figure', 'value'], figures),
  ];
  const byType = Object.entries(errors.byType).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  if (byType.length > 0) {
    lines.push(
      '',
      ...table(
        ['error type', 'files'],
        byType.map(([type, n]) => [terminalText(type), String(n)]),
      ),
    );
  }
  if (files.retained < files.total) {
    lines.push(
      '',
      `${files.total - files.retained} file records were not kept; figures are from running totals`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Two columns: the first left-aligned, the second right-aligned, with a rule under the header. */
function table(header: [string, string], rows: readonly [string, string][]): string[] {
  const left = Math.max(header[0].length, ...rows.map((row) => row[0].length));
  const right = Math.max(header[1].length, ...rows.map((row) => row[1].length));
  const line = ([a, b]: readonly [string, string]) => `${a.padEnd(left)}  ${b.padStart(right)}`;
  return [line(header), line(['-'.repeat(left), '-'.repeat(right)]), ...rows.map(line)];
}
