import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '../../instrumentations/api/index.js';
import { METRIC_EVENT_PROCESSING_DURATION } from '../../instrumentations/event/index.js';
import { METRIC_WORKFLOW_DURATION } from '../../instrumentations/workflow/index.js';
import { PROJECT_ROOT, packProject } from '../support/pack.js';

/**
 * opmeter installed from its packed tarball into throwaway applications, from the npm registry, the
 * way users install it, and used inside the OpenTelemetry set-up each application already has.
 */
const run = promisify(execFile);
const fixtures = join(import.meta.dirname, 'fixtures');
const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, unknown>;
  devDependencies: Record<string, string>;
};
/** What `opmeter/sdk` needs: the API peer and the optional SDK packages, at the ranges opmeter is developed with. */
const bootstrapPackages = Object.fromEntries([
  ...Object.entries(manifest.peerDependencies),
  ...Object.keys(manifest.peerDependenciesMeta).map((name) => [
    name,
    manifest.devDependencies[name] ?? '',
  ]),
]);

function registryReachable(): boolean {
  try {
    execFileSync('npm', ['view', '@opentelemetry/api', 'version'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    return true;
  } catch {
    const message =
      'SKIPPED: the npm registry cannot be reached, so no fixture app can be installed';
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: tests cannot skip)`);
    console.warn(`\n*** ${message} ***\n`);
    return false;
  }
}

const describeOnline = registryReachable() ? describe : describe.skip;

let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opmeter-fixtures-'));
  tarball = packProject(work);
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Creates an application folder with `dependencies` and opmeter's tarball, and installs it. */
async function installApp(name: string, dependencies: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  cpSync(fixtures, dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      private: true,
      type: 'module',
      dependencies: { ...dependencies, opmeter: `file:${tarball}` },
    }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    timeout: 240_000,
  });
  return dir;
}

/** Runs `script` of the app on this Node.js and returns the metric names it printed. */
async function namesRecorded(dir: string, script: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [script], { cwd: dir, timeout: 60_000 });
  const last = stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(last) as string[];
}

/** The versions of a package installed anywhere in the app's tree. */
function copiesOf(dir: string, pkg: string): string[] {
  const out = execFileSync('npm', ['ls', pkg, '--all', '--parseable', '--long'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const specs = out
    .trim()
    .split('\n')
    .map((line) => line.split(':')[1])
    .filter((spec): spec is string => spec !== undefined && spec !== '');
  return [...new Set(specs)];
}

const DOMAIN_METRICS = [
  METRIC_WORKFLOW_DURATION,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
];

describeOnline('opmeter in applications that set up OpenTelemetry themselves', () => {
  let apps: Record<'sdkMetrics' | 'nodeSdk' | 'startMetrics', string>;

  beforeAll(async () => {
    const [sdkMetrics, nodeSdk, startMetrics] = await Promise.all([
      installApp('app-sdk-metrics', {
        '@opentelemetry/api': '1.9.0',
        '@opentelemetry/sdk-metrics': '^2.0.0',
      }),
      installApp('app-node-sdk', {
        '@opentelemetry/api': '~1.10.0',
        '@opentelemetry/sdk-node': '>=0.300.0 <1',
        '@opentelemetry/sdk-metrics': '^3.1.0',
      }),
      installApp('app-start-metrics', bootstrapPackages),
    ]);
    apps = { sdkMetrics, nodeSdk, startMetrics };
  }, 600_000);

  it('records into the MeterProvider of an app on @opentelemetry/api 1.9 with sdk-metrics 2.x', async () => {
    expect(copiesOf(apps.sdkMetrics, '@opentelemetry/api')).toEqual(['@opentelemetry/api@1.9.0']);
    expect(copiesOf(apps.sdkMetrics, '@opentelemetry/sdk-metrics')).toEqual([
      expect.stringMatching(/^@opentelemetry\/sdk-metrics@2\./),
    ]);
    const names = await namesRecorded(apps.sdkMetrics, 'app-sdk-metrics.mjs');
    expect(names).toEqual(expect.arrayContaining(DOMAIN_METRICS));
  });

  it('records into the reader of an app running NodeSDK on @opentelemetry/api 1.10', async () => {
    expect(copiesOf(apps.nodeSdk, '@opentelemetry/api')).toEqual([
      expect.stringMatching(/^@opentelemetry\/api@1\.10\./),
    ]);
    const names = await namesRecorded(apps.nodeSdk, 'app-node-sdk.mjs');
    expect(names).toEqual(expect.arrayContaining(DOMAIN_METRICS));
  });

  it("records through opmeter's own startMetrics with its optional peers installed", async () => {
    const names = await namesRecorded(apps.startMetrics, 'app-start-metrics.mjs');
    expect(names).toEqual(expect.arrayContaining(DOMAIN_METRICS));
  });
});
