import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const outDir = join(root, '.opmeter-tmp', 'snippets');

/** Markdown files whose ```ts blocks must compile against the built package. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  const readmes = readdirSync(join(root, 'instrumentations'))
    .map((domain) => join(root, 'instrumentations', domain, 'README.md'))
    .filter((path) => {
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    });
  return [join(root, 'README.md'), ...docs, ...readmes];
}

/** Every fenced block whose info string is exactly `ts` (use `ts nocheck` to opt out). */
function snippets(path: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    out.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

describe('documentation snippets', () => {
  it('every ```ts block in README.md and docs/ type-checks against the built package', () => {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const origin = new Map<string, string>();
    let count = 0;
    for (const doc of documents()) {
      for (const { line, code } of snippets(doc)) {
        const file = `snippet-${++count}.ts`;
        origin.set(file, `${relative(root, doc)}:${line}`);
        writeFileSync(join(outDir, file), `${code}\nexport {};\n`);
      }
    }
    expect(count).toBeGreaterThan(10);
    writeFileSync(
      join(outDir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '.', noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(outDir, 'tsconfig.json')], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const located = output.replace(/snippet-\d+\.ts/g, (file) => origin.get(file) ?? file);
    expect(located).toBe('');
  }, 120_000);
});
