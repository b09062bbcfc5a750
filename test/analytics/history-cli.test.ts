import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DIALECTS, type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { mariadbAvailable } from '../def-metric/helpers/mariadb.js';
import { HISTORY_TABLE, insertHistory } from './history-fixture.js';
import { guidOf, INJECTED, type SyntheticRow, syntheticHistory } from './synthetic-history.js';

const MARIADB_UP = await mariadbAvailable('history analytics on MariaDB');

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  return { code, stdout, stderr };
}

const EXPECTED_REGRESSIONS = [
  `${INJECTED.p95Slowdown.operation} p95`,
  `${INJECTED.doubledErrors.operation} error_rate`,
].sort();

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `history analytics CLI on ${dialectName}`,
    () => {
      let fixture: DialectFixture;
      let rows: SyntheticRow[];
      const table = ['--table', HISTORY_TABLE];
      const url = () => ['--url', fixture.url];

      beforeAll(async () => {
        fixture = await openFixture(dialectName);
        // 72 hours × 5 operations × 250 per hour = 90 000 rows; the last 24 h carry the changes.
        rows = [...syntheticHistory({ seed: 11, nowMs: Date.now() - 5_000 })];
        const dialect = fixture.dialect();
        await insertHistory(dialect, rows);
        await dialect.close();
      }, 120_000);

      afterAll(async () => {
        await fixture?.cleanup();
      });

      it('saves, lists, shows and deletes a baseline of the 48 h before the last 24 h', async () => {
        const saved = await run([
          'baseline',
          'save',
          'before',
          ...table,
          '--window',
          '48h',
          '--skip',
          '24h',
          ...url(),
        ]);
        expect(saved.stderr).toContain(
          "saved baseline 'before' of def_dataimport_metric: 5 code/operation groups",
        );
        expect(saved.code).toBe(0);
        const again = await run(['baseline', 'save', 'before', ...table, ...url()]);
        expect(again.code).toBe(1);
        expect(again.stderr).toMatch(/exists; delete it first or pass --replace/);
        const listed = JSON.parse((await run(['baseline', 'list', '--json', ...url()])).stdout);
        expect(listed).toMatchObject([
          { Name: 'before', Table: HISTORY_TABLE, Kind: 'snapshot', Groups: 5 },
        ]);
        const shown = JSON.parse(
          (await run(['baseline', 'show', 'before', ...table, '--json', ...url()])).stdout,
        ) as Array<Record<string, number | string>>;
        expect(shown).toHaveLength(5);
        const parse = shown.find((g) => g.Operation === 'parse');
        expect(parse?.Operations).toBeGreaterThan(11_000);
        // lognormal median 0.25 s, σ 0.3: p99.9 ≈ 0.25·e^(0.3·3.09) ≈ 0.63 s before the 0.5% outliers
        for (const column of ['P50', 'P90', 'P95', 'P99', 'P99.9'] as const) {
          expect(typeof parse?.[column]).toBe('number');
        }
        expect(Number(parse?.P50)).toBeGreaterThan(0.25 * 0.97);
        expect(Number(parse?.P50)).toBeLessThan(0.25 * 1.03);
        expect(Number(parse?.['P99.9'])).toBeGreaterThan(Number(parse?.P99));
        expect(Number(parse?.PerHour)).toBeCloseTo(250, -1);
        const table2 = await run(['baseline', 'show', 'before', ...table, ...url()]);
        expect(table2.stdout.split('\n')[0]).toMatch(/P99\.9/);
      });

      it('report regressions against the saved baseline finds the two injected changes and exits 3', async () => {
        const result = await run([
          'report',
          'regressions',
          ...table,
          '--baseline',
          'before',
          '--json',
          ...url(),
        ]);
        expect(result.code, result.stderr).toBe(3);
        const found = (JSON.parse(result.stdout) as Array<Record<string, string | number>>)
          .map((r) => `${r.Operation} ${r.Metric}`)
          .sort();
        expect(found).toEqual(EXPECTED_REGRESSIONS);
        expect(result.stderr).toMatch(
          /^2 regression\(s\) in 20 comparisons of def_dataimport_metric; baseline before/,
        );
        const text = await run([
          'report',
          'regressions',
          ...table,
          '--baseline',
          'before',
          ...url(),
        ]);
        expect(text.stdout.split('\n')[0]).toMatch(/Change%\s+Effect\s+EffectSize\s+p\s+pAdjusted/);
      });

      it('a live window and a saved rolling baseline find the same; a huge threshold exits 0', async () => {
        const live = await run([
          'report',
          'regressions',
          ...table,
          '--window',
          '48h',
          '--json',
          ...url(),
        ]);
        expect(live.code, live.stderr).toBe(3);
        expect(
          (JSON.parse(live.stdout) as Array<Record<string, string>>)
            .map((r) => `${r.Operation} ${r.Metric}`)
            .sort(),
        ).toEqual(EXPECTED_REGRESSIONS);
        await run([
          'baseline',
          'save',
          'rolling',
          ...table,
          '--rolling',
          '--window',
          '48h',
          '--skip',
          '24h',
          ...url(),
        ]);
        const rolling = await run([
          'report',
          'regressions',
          ...table,
          '--baseline',
          'rolling',
          '--json',
          ...url(),
        ]);
        expect(rolling.code, rolling.stderr).toBe(3);
        expect(rolling.stderr).toMatch(/baseline rolling \(rolling: /);
        // Every comparison is printed with --all; with a huge threshold nothing is large: exit 0.
        const older = await run([
          'report',
          'regressions',
          ...table,
          '--baseline',
          'before',
          '--recent',
          '72h',
          '--threshold',
          '1000',
          ...url(),
        ]);
        expect(older.code, older.stderr).toBe(0);
        const all = await run([
          'report',
          'regressions',
          ...table,
          '--baseline',
          'before',
          '--all',
          '--json',
          ...url(),
        ]);
        expect(JSON.parse(all.stdout)).toHaveLength(20);
      });

      it('report anomalies lists every injected outlier with its GUID and time', async () => {
        const result = await run([
          'report',
          'anomalies',
          ...table,
          '--metric',
          'duration',
          '--limit',
          '5000',
          '--json',
          ...url(),
        ]);
        expect(result.code, result.stderr).toBe(0);
        const listed = JSON.parse(result.stdout) as Array<Record<string, string | number>>;
        const flagged = new Set(listed.map((a) => a.Guid));
        const outliers = rows.filter((r) => r.outlier);
        expect(outliers.length).toBeGreaterThan(300);
        const missed = outliers.filter((r) => !flagged.has(guidOf(r.serial)));
        expect(missed).toEqual([]);
        expect(listed[0]).toMatchObject({ Metric: 'duration', Direction: 'high' });
        expect(String(listed[0]?.Time)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        const iqr = await run([
          'report',
          'anomalies',
          ...table,
          '--method',
          'iqr',
          '--metric',
          'memory',
          '--limit',
          '5000',
          '--json',
          ...url(),
        ]);
        const memoryFlagged = new Set(
          (JSON.parse(iqr.stdout) as Array<{ Guid: string }>).map((a) => a.Guid),
        );
        expect(outliers.filter((r) => !memoryFlagged.has(guidOf(r.serial)))).toEqual([]);
      });

      it('refuses a usage mistake with status 2 and deletes a baseline', async () => {
        expect((await run(['report', 'regressions', ...url()])).code).toBe(2);
        expect(
          (await run(['report', 'anomalies', ...table, '--method', 'zz', ...url()])).code,
        ).toBe(2);
        expect((await run(['baseline', 'nope', ...url()])).code).toBe(2);
        const deleted = await run(['baseline', 'delete', 'before', ...url()]);
        expect(deleted.code).toBe(0);
        expect((await run(['baseline', 'delete', 'before', ...url()])).code).toBe(1);
      });
    },
  );
}
