import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { HISTORY_TABLE, insertHistory } from './history-fixture.js';
import { guidOf, type SyntheticRow, syntheticHistory } from './synthetic-history.js';

const ROOT = join(import.meta.dirname, '../..');

interface Probe {
  rows: number;
  groups: number;
  anomalies: number;
  flagged: string[];
  peakGrowth: number;
  streamingRetained: number;
  loaded: number;
}

describe('analytics on 200 000 rows (SQLite)', () => {
  let fixture: DialectFixture;
  let rows: SyntheticRow[];
  let probe: Probe;

  beforeAll(async () => {
    fixture = await openFixture('sqlite');
    // 10 operations × 250 per hour × 80 hours = 200 000 rows, no injected regression, 0.5% outliers.
    rows = [
      ...syntheticHistory({
        seed: 21,
        nowMs: Date.now(),
        inject: false,
        perHour: 250,
        baselineHours: 56,
      }),
      ...syntheticHistory({
        seed: 22,
        nowMs: Date.now(),
        inject: false,
        perHour: 250,
        baselineHours: 56,
      }),
    ].map((r, i) => ({ ...r, serial: i }));
    const dialect = fixture.dialect();
    await insertHistory(dialect, rows);
    await dialect.close();
    const path = fixture.url.slice('sqlite:'.length);
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--no-warnings',
        join(import.meta.dirname, 'memory-probe.mjs'),
        join(ROOT, 'dist'),
        path,
        HISTORY_TABLE,
      ],
      { encoding: 'utf8' },
    );
    probe = JSON.parse(output) as Probe;
    const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
    console.log(
      `200k rows: streaming peak heap growth ${mb(probe.peakGrowth)}, retained ${mb(probe.streamingRetained)}; ` +
        `the same rows held in memory ${mb(probe.loaded)}; ${probe.anomalies} anomalies`,
    );
  }, 120_000);

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('streams: heap growth stays well below the size of the rows held in memory', () => {
    expect(probe.rows).toBe(200_000);
    expect(probe.groups).toBe(5);
    expect(probe.loaded).toBeGreaterThan(50 * 1_048_576);
    expect(probe.peakGrowth).toBeLessThan(probe.loaded / 4);
    expect(probe.streamingRetained).toBeLessThan(5 * 1_048_576);
  });

  it('flags every injected outlier and fewer than 0.1% of the other rows', () => {
    const flagged = new Set(probe.flagged);
    const outliers = rows.filter((r) => r.outlier);
    expect(outliers.filter((r) => !flagged.has(guidOf(r.serial)))).toEqual([]);
    const falseFlags = probe.anomalies - outliers.length;
    console.log(
      `anomalies: ${outliers.length} injected outliers all flagged; ${falseFlags} other rows flagged ` +
        `(${((falseFlags / (rows.length - outliers.length)) * 100).toFixed(3)}%)`,
    );
    expect(falseFlags / rows.length).toBeLessThan(0.001);
  });
});
