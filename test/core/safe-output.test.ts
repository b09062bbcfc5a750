import { describe, expect, it } from 'vitest';
import {
  type BatchExport,
  batchToCsv,
  formatBatchSummary,
  parseBatchCsv,
  summarizeFiles,
} from '../../instrumentations/batch/index.js';
import { formatProgress } from '../../instrumentations/batch/progress.js';
import { formatReport } from '../../src/cli/format.js';
import { guardFormula, unguardFormula } from '../../src/core/csv-formula.js';
import { terminalText } from '../../src/core/terminal-text.js';
import { SessionStats } from '../../src/index.js';
import { FIXTURE_RECORDS } from '../batch/fixture.js';

/** Stored text a hostile writer could leave: colour, clear screen, a title change, a bidi override. */
const HOSTILE = [
  '\u001b[31mred\u001b[0m',
  '\u001b[2J\u001b[H',
  '\u001b]0;owned\u0007',
  'bell\u0007back\bspace',
  'csi\u009b1m',
  'abc\u202edcba',
  'line\nbreak\r\ttab',
  '\u0000nul\u007fdel\u2028sep',
];
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'];

function batchWith(text: string): BatchExport {
  const files = FIXTURE_RECORDS.map((f, i) =>
    i === 4 ? { ...f, file: text, errorType: text, errorMessage: text } : f,
  );
  return {
    batch: {
      id: text,
      code: text,
      package: text,
      startedAt: '2026-01-11T23:00:00.000Z',
      endedAt: null,
      elapsedSeconds: 4,
      totalFiles: null,
    },
    summary: summarizeFiles(files, 4),
    files,
  };
}

describe('terminal output', () => {
  it('escapes every control and reordering character visibly, and leaves other text alone', () => {
    expect(terminalText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(terminalText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(terminalText('csi\u009bx \u202e')).toBe('csi\\x9bx \\u202e');
    expect(terminalText('héllo wörld ✓ 日本 \\path')).toBe('héllo wörld ✓ 日本 \\path');
    for (const text of HOSTILE) expect(terminalText(text)).not.toMatch(CONTROL);
  });

  it('report tables, the stats table, the batch summary and the progress line print no control character', () => {
    const stats = new SessionStats();
    for (const text of HOSTILE) {
      stats.record(text, text, 0.01, 1, false);
      const report = formatReport(
        { columns: ['code', 'n'], rows: [{ code: text, n: 1 }] },
        'table',
      );
      const batch = batchWith(text);
      for (const output of [
        report,
        formatBatchSummary(batch.batch, batch.summary),
        formatProgress(text, 1, 2, 1),
      ]) {
        expect(output.replaceAll('\n', '')).not.toMatch(CONTROL);
      }
    }
    expect(stats.format().replaceAll('\n', '')).not.toMatch(CONTROL);
  });
});

describe('CSV output', () => {
  it('prefixes cells that a spreadsheet would run as a formula with a quote (OWASP)', () => {
    for (const formula of FORMULAS) expect(guardFormula(formula)).toBe(`'${formula}`);
    expect(guardFormula('plain')).toBe('plain');
    expect(guardFormula("'=x")).toBe("''=x");
    for (const text of [...FORMULAS, "'=x", "''+y", "'", "'plain", '', 'plain']) {
      expect(unguardFormula(guardFormula(text))).toBe(text);
    }
  });

  it('report CSV neutralises formula text cells but not numbers', () => {
    const csv = formatReport(
      {
        columns: ['code', 'delta'],
        rows: FORMULAS.map((code) => ({ code, delta: -1.5 })),
      },
      'csv',
    );
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",-1.5`);
    expect(lines[3]).toBe("'-2+3,-1.5");
    expect(lines[4]).toBe("'@SUM(A1),-1.5");
  });

  it('batch CSV neutralises formula text cells and reads them back unchanged', () => {
    for (const formula of [...FORMULAS, "'=already quoted"]) {
      const exported = batchWith(formula);
      const csv = batchToCsv(exported);
      const cells = csv.split('\r\n')[1] ?? '';
      expect(cells.startsWith(`'${formula[0]}`) || cells.startsWith(`"'`)).toBe(true);
      const back = parseBatchCsv(csv);
      expect(back).toMatchObject({ id: formula, code: formula, package: formula });
      expect(back.files).toEqual(exported.files);
    }
  });
});
