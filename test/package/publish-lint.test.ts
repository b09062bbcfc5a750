import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, packProject } from '../support/pack.js';

/** The packed tarball checked by the tools that registries and users run on packages. */
const run = promisify(execFile);
let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opmeter-pack-'));
  tarball = packProject(work);
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the published package', () => {
  it('passes publint in strict mode (exports, files, types, module format)', async () => {
    const { messages, pkg } = await publint({ pkgDir: PROJECT_ROOT, pack: 'npm', strict: true });
    expect(messages.map((message) => formatMessage(message, pkg))).toEqual([]);
  });

  it('has types that resolve for every entry point under node16 ESM and bundlers (are the types wrong)', async () => {
    const attw = join(PROJECT_ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const result = await run(
      process.execPath,
      [attw, tarball, '--profile', 'esm-only', '--format', 'json'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(result.stdout) as {
      analysis: { entrypoints: Record<string, unknown> };
      problems: Record<string, { kind: string; entrypoint: string; resolutionKind: string }[]>;
    };
    const entrypoints = Object.keys(report.analysis.entrypoints);
    expect(entrypoints).toEqual(expect.arrayContaining(['.', './sdk', './workflow', './api']));
    // ESM only by design: CommonJS require() (node16-cjs) and pre-exports resolution (node10) are out.
    const counted = Object.values(report.problems)
      .flat()
      .filter(
        (problem) => problem.resolutionKind !== 'node10' && problem.resolutionKind !== 'node16-cjs',
      );
    expect(counted).toEqual([]);
  });
});
