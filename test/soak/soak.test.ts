import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = import.meta.dirname.replace(/\/test\/soak$/, '');
const DURATION_S = 60;

/**
 * The CI version of `npm run soak`: 60 s instead of 5 minutes, in a child process on the built
 * package (MariaDB behind the fault proxy when it answers, SQLite otherwise). The soak checks its
 * own invariants and exits 1 when one is broken; its report is printed either way.
 */
describe(`soak, ${DURATION_S} s (bench/soak.ts in a child process; npm run soak runs it for 5 minutes)`, () => {
  it(
    'every domain, concurrent scrapes and a database outage: every invariant holds',
    async () => {
      const outcome = await run(
        process.execPath,
        [
          '--expose-gc',
          '--disable-warning=ExperimentalWarning',
          'dist/bench/soak.js',
          '--duration',
          String(DURATION_S),
          '--every',
          '10',
        ],
        { cwd: root, timeout: (DURATION_S + 60) * 1000, maxBuffer: 64 * 1024 * 1024 },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code?: number; stdout?: string }) => ({
          code: error.code,
          stdout: error.stdout ?? '',
        }),
      );
      const report = outcome.stdout.split('\n').filter((line) => !line.startsWith('soak-result '));
      console.info(report.join('\n'));
      const result = outcome.stdout.split('\n').find((line) => line.startsWith('soak-result '));
      expect(result, 'the soak printed no result line').toBeDefined();
      const parsed = JSON.parse(result?.slice('soak-result '.length) ?? '{}') as {
        passed: boolean;
        database: string;
      };
      if (process.env.CI === 'true') expect(parsed.database).toBe('mariadb');
      expect(parsed.passed, report.filter((line) => line.includes('FAIL')).join('\n')).toBe(true);
      expect(outcome.code).toBe(0);
    },
    (DURATION_S + 90) * 1000,
  );
});
