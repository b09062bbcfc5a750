import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ROWS = 5000;

/** A process that queues rows which only a close can flush (no size or time trigger fires). */
const CHILD = `
  import { closeOnSignals, createDefMetricWriter } from 'opmeter/def-metric';
  const writer = createDefMetricWriter({
    url: 'sqlite:' + process.env.DB_FILE,
    batchSize: 100000,
    flushIntervalMs: 600000,
  });
  closeOnSignals(writer, { deadlineMs: 20000 });
  await writer.ready();
  for (let i = 0; i < ${ROWS}; i++) {
    writer.enqueue('def_workflow_metric', { WorkflowCode: 'W' + i, Package: 'p', OperationSuccess: true });
  }
  console.log('queued ' + writer.stats().waiting);
  setInterval(() => {}, 1000);
`;

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('closing on SIGTERM', () => {
  it('writes every queued row before the process exits (dist/ is built by the global setup)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opmeter-sigterm-'));
    const file = join(dir, 'rows.db');
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', CHILD],
      { cwd: root, env: { ...process.env, DB_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('queued')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}: ${output}`)));
    });
    expect(output).toContain(`queued ${ROWS}`);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [, signal] = await exited;
    expect(signal).toBe('SIGTERM');
    const db = new DatabaseSync(file, { readOnly: true });
    const row = db.prepare('SELECT COUNT(*) AS n FROM def_workflow_metric').get() as { n: number };
    db.close();
    expect(row.n).toBe(ROWS);
  }, 60_000);
});
