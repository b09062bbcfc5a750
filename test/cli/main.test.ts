import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  MIN_NODE_VERSION,
  main,
  nodeVersionProblem,
} from '../../src/cli/main.js';
import {
  createDefMetricWriter,
  loadSchemaRegistry,
  parseCreateTable,
} from '../../src/def-metric/index.js';
import {
  createTestDatabase,
  mariadbAvailable,
  type TestDatabase,
} from '../def-metric/helpers/mariadb.js';

const MARIADB_UP = await mariadbAvailable('opmeter CLI MariaDB tests');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

const oneLine = (text: string) => text.trimEnd().split('\n').length === 1;

describe('opmeter CLI (in process)', () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opmeter-cli-'));
    url = `sqlite:${join(dir, 'cli.db')}`;
    const writer = createDefMetricWriter({ url, retention: false });
    const now = Date.now();
    for (const [operation, elapsed, ok] of [
      ['import, "quoted"', 2, false],
      ['import, "quoted"', 4, true],
      ['export', 1, true],
    ] as const) {
      writer.enqueue('def_dataimport_metric', {
        DataimportCode: 'orders',
        Package: 'core',
        AxionImportTime: new Date(now - 3_600_000),
        OperationName: operation,
        ItemsProcessed: 100,
        ElapsedSeconds: elapsed,
        MemoryUsageMB: 64,
        OperationSuccess: ok,
      });
    }
    await writer.close();
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints usage on --help (stdout, exit 0) and without a command (stderr, exit 2)', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(help.stdout).toMatch(/Usage: opmeter <command>/);
    for (const command of ['report', 'schema', 'migrate'])
      expect(help.stdout).toContain(`  ${command}`);
    const none = await run([]);
    expect(none).toMatchObject({ code: EXIT_USAGE, stdout: '' });
    expect((await run(['report', '--help'])).stdout).toMatch(
      /opmeter report <slowest\|memory\|errors>/,
    );
  });

  it('lists the analytics commands and the exit status 3 in the help texts', async () => {
    const help = await run(['--help']);
    expect(help.stdout).toContain('  baseline ');
    expect(help.stdout).toMatch(/3 regression found/);
    const report = (await run(['report', '--help'])).stdout;
    expect(report).toMatch(/opmeter report <regressions\|anomalies\|html>/);
    for (const sub of ['regressions', 'anomalies', 'html']) {
      const usage = await run(['report', sub, '--help']);
      expect(usage.code).toBe(EXIT_OK);
      expect(usage.stdout).toMatch(new RegExp(`^Usage: opmeter report ${sub} --table`));
    }
    expect((await run(['baseline', '--help'])).stdout).toMatch(
      /^Usage: opmeter baseline save <name>/,
    );
  });

  it('baseline list on a database without baselines says so (exit 1)', async () => {
    const result = await run(['baseline', 'list', '--url', url]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(
      /no baselines saved yet \(table opmeter_baseline does not exist\)/,
    );
  });

  it('says which Node.js it needs when run on an older one', () => {
    expect(MIN_NODE_VERSION).toBe(
      JSON.parse(readFileSync('package.json', 'utf8')).engines.node.replace('>=', ''),
    );
    expect(nodeVersionProblem('20.20.2')).toBe(
      'needs Node.js 22.15 or later; this is Node.js 20.20.2',
    );
    expect(nodeVersionProblem('22.14.0')).toMatch(/needs Node.js 22.15/);
    expect(nodeVersionProblem('22.15.0')).toBeUndefined();
    expect(nodeVersionProblem('24.9.0')).toBeUndefined();
  });

  it('prints the package version on --version and -V (stdout, exit 0)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      expect(await run([flag])).toEqual({ code: EXIT_OK, stdout: `${version}\n`, stderr: '' });
    }
  });

  it.each([
    [
      ['frobnicate'],
      /^opmeter: unknown command 'frobnicate' \(run 'opmeter --help' for usage\)\n$/,
    ],
    [['--frob'], /unknown option '--frob'/],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--bogus'],
      /^opmeter report: .*'--bogus'.*--help/,
    ],
    [['report', 'fastest', '--table', 'def_api_metric'], /unknown report 'fastest'/],
    [['report', 'slowest'], /missing --table/],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--since', 'yesterday'],
      /invalid duration 'yesterday'/,
    ],
    [['schema', '--dialect', 'oracle'], /unknown dialect 'oracle'/],
    [['report', 'regressions'], /^opmeter report: missing --table/],
    [
      ['report', 'regressions', '--table', 'def_api_metric', '--baseline', 'a', '--window', '7d'],
      /choose one of --baseline and --window/,
    ],
    [
      ['report', 'regressions', '--table', 'def_api_metric', '--alpha', '2'],
      /--alpha must be between 0 and 1/,
    ],
    [
      ['report', 'anomalies', '--table', 'def_api_metric', '--metric', 'mood'],
      /unknown --metric 'mood'/,
    ],
    [['report', 'html', '--table', 'def_api_metric'], /missing --out/],
    [
      ['report', 'constructor', '--table', 'def_api_metric'],
      /unknown report 'constructor' \(one of slowest, memory, errors, regressions, anomalies, html\)/,
    ],
    [['baseline', 'save', '--table', 'def_api_metric'], /missing the baseline name/],
    [['baseline', 'frob'], /unknown sub-command 'frob'/],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--limit', '0'],
      /^opmeter report: --limit needs a positive whole number, got '0'/,
    ],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--limit=-3'],
      /--limit needs a positive whole number, got '-3'/,
    ],
    [
      ['report', 'anomalies', '--table', 'def_api_metric', '--limit', '2.5'],
      /--limit needs a positive whole number, got '2.5'/,
    ],
  ])('refuses %j with one line on stderr and exit 2', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(oneLine(result.stderr)).toBe(true);
  });

  it('schema prints the YAML DDL with the placeholder, a chosen collation, or the SQLite translation', async () => {
    const placeholder = await run(['schema', '--table', 'def_api_metric']);
    expect(placeholder.code).toBe(EXIT_OK);
    expect(placeholder.stdout).toContain('COLLATE={collation}');
    expect(placeholder.stdout).toContain('KEY `idx_endpoint` (`Endpoint`(255))');
    const parsed = parseCreateTable(placeholder.stdout);
    // The YAML column properties (generated, overflow) tell the writer how to fill values; they are not DDL.
    const declared = loadSchemaRegistry().require('def_api_metric');
    const ddlColumns = declared.columns.map(({ generated: _g, overflow: _o, ...column }) => column);
    expect(parsed).toEqual({ ...declared, columns: ddlColumns });
    const chosen = await run(['schema', '--collation', 'utf8mb4_unicode_ci']);
    expect(chosen.stdout.match(/COLLATE=utf8mb4_unicode_ci/g)).toHaveLength(5);
    const sqlite = await run(['schema', '--dialect', 'sqlite', '--table', 'def_api_metric']);
    expect(sqlite.stdout).toContain(
      'CREATE INDEX IF NOT EXISTS "def_api_metric_idx_endpoint" ON "def_api_metric" ("Endpoint");',
    );
  });

  it('report prints an aligned table by default, JSON with --json and CSV with --csv', async () => {
    const table = await run([
      'report',
      'slowest',
      '--table',
      'def_dataimport_metric',
      '--url',
      url,
    ]);
    expect(table.code).toBe(EXIT_OK);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DataimportCode\s+OperationName\s+AvgTime\s+AvgRate\s+Operations$/);
    expect(lines[1]).toMatch(/^-+ {2}-+ {2}-+ {2}-+ {2}-+$/);
    expect(lines[2]).toMatch(/^orders\s+import, "quoted"\s+3\s+37.5\s+2$/);
    expect(new Set(lines.map((line) => line.length)).size).toBeLessThanOrEqual(2);

    const json = await run([
      'report',
      'errors',
      '--table',
      'def_dataimport_metric',
      '--url',
      url,
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      { OperationName: 'import, "quoted"', TotalOps: 2, Failures: 1, ErrorRate: 50 },
    ]);
    const csv = await run(['report', 'memory', '--table', 'def_dataimport_metric', '--csv'], {
      OPMETER_DEF_METRIC_URL: url,
    });
    expect(csv.stdout.split('\r\n')[0]).toBe('Date,AvgMemory,PeakMemory');
    const quoted = await run([
      'report',
      'slowest',
      '--table',
      'def_dataimport_metric',
      '--url',
      url,
      '--csv',
    ]);
    expect(quoted.stdout).toContain('orders,"import, ""quoted""",3,37.5,2');
    const empty = await run([
      'report',
      'slowest',
      '--table',
      'def_batch_metric',
      '--url',
      url,
      '--since',
      '1m',
    ]);
    expect(empty).toMatchObject({ code: EXIT_OK, stderr: '(no rows)\n' });
  });

  it.each([
    [['report', 'slowest', '--table', 'def_nope_metric'], /unknown table 'def_nope_metric'/],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--url', 'postgres://u:pw-secret@h/db'],
      /unsupported database URL scheme/,
    ],
    [
      ['report', 'slowest', '--table', 'def_api_metric', '--url', 'sqlite:/nonexistent/x.db'],
      /does not exist/,
    ],
    [
      ['report', 'memory', '--table', 'def_api_metric', '--url', 'sqlite::memory:'],
      /needs column MemoryUsageMB/,
    ],
    [
      ['migrate', '--url', 'mysql://u:pw-secret@127.0.0.1:1/db'],
      /mysql:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/,
    ],
  ])('fails %j with one clear line, exit 1, no stack, no password', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(message);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stderr).not.toContain('pw-secret');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the stack trace with --verbose or OPMETER_DEBUG=1', async () => {
    const args = ['report', 'slowest', '--table', 'def_nope_metric'];
    expect((await run([...args, '--verbose'])).stderr).toMatch(/\n\s+at /);
    expect((await run(args, { OPMETER_DEBUG: '1' })).stderr).toMatch(/\n\s+at /);
  });

  it('migrate creates the tables on SQLite, idempotently', async () => {
    const target = `sqlite:${join(dir, 'migrated.db')}`;
    for (let i = 0; i < 2; i += 1) {
      const result = await run(['migrate', '--url', target]);
      expect(result.code).toBe(EXIT_OK);
      expect(result.stdout.trim().split('\n')).toEqual(
        loadSchemaRegistry()
          .tables()
          .map((t) => t.name),
      );
    }
  });
});

describe.skipIf(!MARIADB_UP)('opmeter CLI on MariaDB', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('migrates with a collation, then reports', async () => {
    const migrated = await run([
      'migrate',
      '--url',
      database.url(),
      '--collation',
      'utf8mb4_unicode_ci',
    ]);
    expect(migrated.code).toBe(EXIT_OK);
    expect(migrated.stderr).toContain('(collation utf8mb4_unicode_ci)');
    const bad = await run(['migrate', '--url', database.url(), '--collation', 'utf8mb4_nope_ci']);
    expect(bad.code).toBe(EXIT_FAILURE);
    expect(bad.stderr).toMatch(/unknown collation 'utf8mb4_nope_ci'/);
    const report = await run([
      'report',
      'errors',
      '--table',
      'def_workflow_metric',
      '--url',
      database.url(),
      '--json',
    ]);
    expect(report).toMatchObject({ code: EXIT_OK, stdout: '[]\n' });
  });
});

describe('the compiled opmeter binary', () => {
  const bin = join(process.cwd(), 'dist/src/cli/main.js');

  beforeAll(() => {
    try {
      execFileSync(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
        {
          stdio: 'pipe',
        },
      );
    } catch {
      // Type errors elsewhere in the tree do not stop tsc from emitting; the checks below tell.
    }
  }, 120_000);

  it('runs as a Unix tool: data on stdout, exit codes, no SQLite warning', () => {
    expect(existsSync(bin)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'opmeter-bin-'));
    try {
      const schema = spawnSync(process.execPath, [bin, 'schema', '--table', 'def_notify_metric'], {
        encoding: 'utf8',
      });
      expect(schema.status).toBe(0);
      expect(schema.stdout).toContain('CREATE TABLE IF NOT EXISTS `def_notify_metric`');
      const migrate = spawnSync(process.execPath, [bin, 'migrate'], {
        encoding: 'utf8',
        env: { ...process.env, OPMETER_DEF_METRIC_URL: `sqlite:${join(dir, 'bin.db')}` },
      });
      expect(migrate.status).toBe(0);
      expect(migrate.stderr).not.toContain('ExperimentalWarning');
      const wrong = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' });
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toMatch(/^opmeter: unknown command 'nope'/);
      const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      expect(version.status).toBe(0);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends quietly when its stdout reader has gone (opmeter schema | head -1)', async () => {
    const child = spawn(process.execPath, [bin, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
