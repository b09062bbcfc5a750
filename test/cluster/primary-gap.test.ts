import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'primary-gap.mjs');
const cwd = join(import.meta.dirname, 'fixtures');

describe('process workers and a primary that is away longer than an answer wait', () => {
  it('keeps every unanswered report until the next primary merges it: the totals are exact', async () => {
    const child = spawn(process.execPath, [FIXTURE, 'gap'], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    const [, recorded, merged] = /TOTALS (\d+) (\d+)/.exec(output) ?? [];
    expect(Number(recorded)).toBeGreaterThan(100);
    expect(Number(merged)).toBe(Number(recorded));
  }, 20_000);

  it('a forked child with a reader and no primary answering still exits by itself', async () => {
    const started = Date.now();
    const child = fork(FIXTURE, ['alone'], { cwd, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reports = 0;
    child.on('message', () => reports++); // never answered
    const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(reports).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);

  it("a forked child's own 'message' listener still keeps it alive, and it exits once that goes", async () => {
    const child = fork(FIXTURE, ['listening'], {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reports = 0;
    let exited = false;
    const left = new Promise<void>((resolve) =>
      child.on('message', (message: { leaving?: boolean }) => {
        if (message?.leaving === true) resolve();
        else reports++;
      }),
    );
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exited = true;
        resolve(code);
      }),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(exited).toBe(false);
    expect(reports).toBeGreaterThan(0);
    child.send({ bye: true });
    await left;
    const code = await exit;
    clearTimeout(killer);
    expect(code).toBe(0);
  }, 15_000);
});
