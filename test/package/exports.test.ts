import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};
const subpaths = Object.entries(pkg.exports).filter(
  (entry): entry is [string, { types: string; default: string }] => typeof entry[1] !== 'string',
);
const INSTRUMENTATION_SUBPATHS = subpaths
  .map(([subpath]) => subpath)
  .filter((s) => !['.', './sdk', './cluster', './def-metric'].includes(s));

/** Runs an ES module snippet in a child Node with the package's own name resolvable. */
function runModule(source: string): string {
  return execFileSync(
    process.execPath,
    ['--input-type=module', '--disable-warning=ExperimentalWarning', '-e', source],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

/** `dist/` is built by test/global-setup.ts before any test runs. */
describe('the built package, imported by name as a user would', () => {
  it('every exports entry points at a built module and its declarations', () => {
    for (const [subpath, target] of subpaths) {
      expect(existsSync(join(root, target.default)), `${subpath} → ${target.default}`).toBe(true);
      expect(existsSync(join(root, target.types)), `${subpath} → ${target.types}`).toBe(true);
    }
  });

  it('every subpath imports and exports something', () => {
    const names = subpaths.map(([subpath]) =>
      subpath === '.' ? 'opmeter' : `opmeter/${subpath.slice(2)}`,
    );
    const counts = JSON.parse(
      runModule(
        `const out = {}; for (const name of ${JSON.stringify(names)}) out[name] = Object.keys(await import(name)).length; console.log(JSON.stringify(out));`,
      ),
    ) as Record<string, number>;
    for (const name of names) expect(counts[name], name).toBeGreaterThan(0);
  });

  it.each(INSTRUMENTATION_SUBPATHS)(
    '%s loads @opentelemetry/api and nothing else from OTel',
    (subpath) => {
      const loaded = JSON.parse(
        runModule(`
        import { registerHooks } from 'node:module';
        const seen = new Set();
        registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
        await import('opmeter/${subpath.slice(2)}');
        console.log(JSON.stringify([...seen].filter((u) => u.includes('/node_modules/@opentelemetry/'))));
      `),
      ) as string[];
      const packages = new Set(
        loaded.map((url) => url.split('/node_modules/')[1]?.split('/').slice(0, 2).join('/')),
      );
      expect([...packages].filter((name) => name !== '@opentelemetry/api')).toEqual([]);
    },
  );

  it('the CLI binary is executable JavaScript with a shebang', () => {
    const bin = readFileSync(join(root, 'dist/src/cli/main.js'), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
