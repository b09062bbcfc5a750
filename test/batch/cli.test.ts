import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchExport,
  batchToCsv,
  batchToJson,
  summarizeFiles,
} from '../../instrumentations/batch/index.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main.js';
import { readTextLimited } from '../../src/cli/read-input.js';
import { EXPECTED, FIXTURE_RECORDS, T0 } from './fixture.js';

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function run(argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['batch', 'stats', ...argv], { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The value printed on the table line labelled `label`. */
function figure(table: string, label: string): string {
  const line = table.split('\n').find((l) => l.startsWith(`${label}  `));
  if (line === undefined) throw new Error(`no line "${label}" in:\n${table}`);
  return line.slice(label.length).trim();
}

let dir: string;
let jsonPath: string;
let csvPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opmeter-batch-'));
  const exported: BatchExport = {
    batch: {
      id: 'run-9',
      code: 'WAVEFORMS',
      package: 'lab',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 4000).toISOString(),
      elapsedSeconds: 4,
      totalFiles: 8,
    },
    summary: summarizeFiles(FIXTURE_RECORDS, 4),
    files: [...FIXTURE_RECORDS],
  };
  jsonPath = join(dir, 'batch.json');
  csvPath = join(dir, 'batch.csv');
  await writeFile(jsonPath, batchToJson(exported));
  await writeFile(csvPath, batchToCsv(exported));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('opmeter batch stats', () => {
  for (const format of ['json', 'csv'] as const) {
    it(`prints the hand-computed figures of a ${format.toUpperCase()} export as a table`, async () => {
      const { code, stdout, stderr } = await run([format === 'json' ? jsonPath : csvPath]);
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
      expect(stdout).toContain('batch     WAVEFORMS (package lab, id run-9)');
      expect(stdout).toContain('started   2026-01-11T23:00:00.000Z');
      const expected: Record<string, string> = {
        files: '8',
        '  succeeded': '4',
        '  failed': '3',
        '  skipped': '1',
        'success rate %': '50.00',
        'error rate %': '37.50',
        'elapsed s': '4.000',
        'file time sum s': '2.800',
        'file time mean s': '0.700',
        'file time median s': '0.650',
        'file time min s': '0.300',
        'file time max s': '1.200',
        'file time stddev s': '0.392',
        'files/s': '1.00',
        'samples/s': '125000.00',
        'measurements/s': '12.50',
        'bytes/s': '2500000.00',
        samples: '500000',
        measurements: '50',
        bytes: '10000000',
        'peak memory MB': '80.00',
        ENOENT: '2',
        TypeError: '1',
      };
      for (const [label, value] of Object.entries(expected)) {
        expect(figure(stdout, label), label).toBe(value);
      }
      // Aligned: every figure line of the main table ends in the same column.
      const tableLines = stdout.split('\n').slice(4, 4 + 2 + 21);
      expect(new Set(tableLines.map((l) => l.length)).size).toBe(1);
    });

    it(`prints the same numbers as JSON with --json for a ${format.toUpperCase()} export`, async () => {
      const { code, stdout } = await run(['--json', format === 'json' ? jsonPath : csvPath]);
      expect(code).toBe(EXIT_OK);
      const { batch, summary } = JSON.parse(stdout);
      expect(batch).toMatchObject({ id: 'run-9', code: 'WAVEFORMS', elapsedSeconds: 4 });
      expect(summary.files).toMatchObject(EXPECTED.files);
      expect(summary.successRatePercent).toBe(EXPECTED.successRatePercent);
      expect(summary.timing.meanSeconds).toBeCloseTo(EXPECTED.meanSeconds, 12);
      expect(summary.timing.medianSeconds).toBeCloseTo(EXPECTED.medianSeconds, 12);
      expect(summary.timing.stddevSeconds).toBeCloseTo(EXPECTED.stddevSeconds, 12);
      expect(summary.throughput.samplesPerSecond).toBe(EXPECTED.perSecondOver4s.samples);
      expect(summary.errors.byType).toEqual(EXPECTED.byType);
    });
  }

  it('explains usage errors with exit code 2', async () => {
    const none = await run([]);
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.stderr).toContain('opmeter batch: missing the export file to read');
    const unknown = await run(['--yaml', jsonPath]);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain("'--yaml'");
    const two = await run([jsonPath, csvPath]);
    expect(two.code).toBe(EXIT_USAGE);
    expect(two.stderr).toContain('unexpected argument');
    const sub = await main(['batch', 'list'], {
      stdout: new Capture(),
      stderr: new Capture(),
      env: {},
    });
    expect(sub).toBe(EXIT_USAGE);
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.stdout).toContain('--json');
    const top = new Capture();
    await main(['--help'], { stdout: top, stderr: new Capture(), env: {} });
    expect(top.text).toMatch(/^\s+batch\s+summary of an exported batch job/m);
  });

  it('reports unreadable and damaged files with exit code 1, never throwing', async () => {
    const missing = await run([join(dir, 'nope.json')]);
    expect(missing.code).toBe(EXIT_FAILURE);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: .*ENOENT/);
    const damaged = join(dir, 'damaged.csv');
    await writeFile(damaged, 'batch_id,file\r\n');
    const bad = await run([damaged]);
    expect(bad.code).toBe(EXIT_FAILURE);
    expect(bad.stderr).toContain('missing column(s)');
    expect(bad.stdout).toBe('');
  });
});

describe('opmeter batch stats input size limit', () => {
  it('refuses a 266 MB one-line file by its size at once, naming the limit and the flag', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, 266 * 1000 * 1000);
    const started = performance.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const { code, stderr } = await run([path]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    expect(code).toBe(EXIT_FAILURE);
    expect(stderr).toMatch(
      /huge\.json is 253\.7 MiB, over the limit of 64\.0 MiB: pass --max-mib <MiB>/,
    );
  });

  it('--max-mib lowers or raises the limit; a bad value is a usage error', async () => {
    const path = join(dir, 'line.json');
    await writeFile(path, `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`);
    const refused = await run([path, '--max-mib', '1']);
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(refused.stderr).toMatch(/over the limit of 1\.0 MiB/);
    const read = await run([path, '--max-mib', '3']);
    expect(read.code).toBe(EXIT_FAILURE);
    expect(read.stderr).toMatch(/not an opmeter batch export/);
    expect((await run([path, '--max-mib', '0'])).code).toBe(EXIT_USAGE);
    expect((await run([path, '--max-mib', 'lots'])).code).toBe(EXIT_USAGE);
  });

  it('stops reading a stream (not a regular file) as soon as it passes the limit', async () => {
    await expect(readTextLimited('/dev/zero', 3 * 1024 * 1024, '--max-mib')).rejects.toThrow(
      /\/dev\/zero is more than 3\.0 MiB, over the limit of 3\.0 MiB/,
    );
  });

  it('decodes UTF-8 split across chunks', async () => {
    const path = join(dir, 'utf8.txt');
    const text = 'é✓日本'.repeat(400_000);
    await writeFile(path, text);
    expect(await readTextLimited(path, 64 * 1024 * 1024, '--max-mib')).toBe(text);
  });
});
