import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_REASON,
  createDefMetricWriter,
  type DefMetricRowWriter,
  DROP_REASON_SPILL_FULL,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
  METRIC_ROWS_SPILLED,
  type RowWriterOptions,
} from '../../src/def-metric/index.js';
import type { Fault } from '../support/fault-proxy.js';
import { waitFor } from './helpers/dialects.js';
import { useFaultedDatabase } from './helpers/faulted-database.js';
import { mariadbAvailable } from './helpers/mariadb.js';
import { createTestMeter, type TestMeter } from './helpers/test-meter.js';

const MARIADB_UP = await mariadbAvailable('def_metric spill-buffer suite');
const root = join(import.meta.dirname, '..', '..');
const TABLE = 'def_dataimport_metric';
const registry = loadSchemaRegistry();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!MARIADB_UP)('def_metric writer with the durable spill buffer', () => {
  const faulted = useFaultedDatabase();
  const proxy = { set: (fault: Fault) => faulted.proxy.set(fault) };
  const stored = (code: string) => faulted.stored(code);
  let dir: string;
  let meter: TestMeter;
  const writers: DefMetricRowWriter[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opmeter-spill-'));
  });

  afterEach(async () => {
    for (const writer of writers.splice(0)) await writer.close({ deadlineMs: 2_000 });
    await proxy.set({ kind: 'none' });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function open(journal: string, options: Partial<RowWriterOptions> = {}): DefMetricRowWriter {
    meter = createTestMeter();
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      retention: false,
      meterProvider: meter.meterProvider,
      onWarning: () => {},
      spill: { path: join(dir, journal) },
      ...options,
    });
    writers.push(writer);
    return writer;
  }

  it('loses no row through a 6 s refusal at 500 rows/s with a queue of only 1000 rows', async () => {
    const writer = open('outage.db', { maxQueueSize: 1_000 });
    await writer.ready();
    let sent = 0;
    const produce = setInterval(() => {
      for (let i = 0; i < 5; i += 1) {
        writer.enqueue(TABLE, {
          DataimportCode: 'spill-outage',
          Package: 'p',
          ItemsProcessed: sent,
        });
        sent += 1;
      }
    }, 10);
    try {
      await waitFor(() => writer.stats().written > 0);
      await proxy.set({ kind: 'refuse' });
      await sleep(6_000);
      expect(writer.stats().journaled).toBeGreaterThan(1_000);
      await proxy.set({ kind: 'none' });
      await sleep(1_000);
    } finally {
      clearInterval(produce);
    }
    await writer.flush();
    expect(await stored('spill-outage')).toEqual({ rows: sent, distinct: sent });
    expect(writer.stats()).toMatchObject({ written: sent, dropped: 0, waiting: 0, journaled: 0 });
    expect(await meter.sum(METRIC_ROWS_SPILLED)).toBeGreaterThan(1_000);
  }, 30_000);

  it('holds the rows of a 5-minute outage at 500 rows/s (150 000, enqueued fast) and writes every one once the database returns', async () => {
    const writer = open('volume.db');
    await writer.ready();
    await proxy.set({ kind: 'refuse' });
    const total = 150_000;
    for (let i = 0; i < total; i += 1) {
      writer.enqueue(TABLE, { DataimportCode: 'spill-volume', Package: 'p', ItemsProcessed: i });
      if (i % 2_000 === 1_999) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => writer.stats().journaled === total, 20_000);
    expect(writer.stats().dropped).toBe(0);
    await proxy.set({ kind: 'none' });
    await writer.flush();
    expect(await stored('spill-volume')).toEqual({ rows: total, distinct: total });
    expect(writer.stats()).toMatchObject({ written: total, dropped: 0, waiting: 0 });
  }, 60_000);

  it('a journal that cannot be opened: one warning naming the file, rows wait in memory', async () => {
    const warnings: string[] = [];
    // The journal's folder would have to be created inside a regular file.
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const path = join(notAFolder, 'spill.db');
    const writer = open('unused.db', {
      spill: { path },
      onWarning: (message) => warnings.push(message),
    });
    writer.enqueue(TABLE, { DataimportCode: 'spill-unopenable', Package: 'p', ItemsProcessed: 1 });
    await writer.flush();
    expect(await stored('spill-unopenable')).toEqual({ rows: 1, distinct: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`spill journal ${path}`);
    expect(warnings[0]).toContain('memory only');
  });

  it('counts the rows a full journal refuses, and writes the ones it kept', async () => {
    const writer = open('full.db', {
      batchSize: 50,
      spill: { path: join(dir, 'full.db'), maxBytes: 20_000 },
    });
    await writer.ready();
    await proxy.set({ kind: 'refuse' });
    const total = 500;
    for (let i = 0; i < total; i += 1) {
      writer.enqueue(TABLE, { DataimportCode: 'spill-full', Package: 'p', ItemsProcessed: i });
    }
    await waitFor(() => writer.stats().journaled + writer.stats().dropped === total, 5_000);
    const dropped = writer.stats().dropped;
    expect(dropped).toBeGreaterThan(0);
    expect(await meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_SPILL_FULL })).toBe(
      dropped,
    );
    await proxy.set({ kind: 'none' });
    await writer.flush();
    expect((await stored('spill-full')).rows).toBe(total - dropped);
  }, 20_000);

  it('close() at its deadline keeps the waiting rows in the journal; the next writer writes them', async () => {
    const first = open('close.db', { batchSize: 50 });
    await first.ready();
    await proxy.set({ kind: 'blackhole' });
    for (let i = 0; i < 300; i += 1) {
      first.enqueue(TABLE, { DataimportCode: 'spill-close', Package: 'p', ItemsProcessed: i });
    }
    const started = Date.now();
    await first.close({ deadlineMs: 1_500 });
    expect(Date.now() - started).toBeLessThanOrEqual(1_700);
    expect(first.stats()).toMatchObject({ dropped: 0, journaled: 300 });
    await proxy.set({ kind: 'none' });
    const second = open('close.db');
    await waitFor(async () => (await stored('spill-close')).rows === 300, 10_000);
    await waitFor(() => second.stats().journaled === 0);
    expect(await stored('spill-close')).toEqual({ rows: 300, distinct: 300 });
    expect(second.stats()).toMatchObject({ written: 300, waiting: 0 });
  }, 20_000);

  /** Starts a process whose writer (spill on, journal `journal`) runs `body`; resolves once it prints `marker`. */
  async function spawnWriter(journal: string, body: string, marker: string) {
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        '--input-type=module',
        '-e',
        `import { createDefMetricWriter } from 'opmeter/def-metric';
        const writer = createDefMetricWriter({
          url: process.env.DB_URL, retention: false, onWarning: () => {},
          spill: { path: process.env.JOURNAL },
        });
        const row = (i) => ({ DataimportCode: process.env.CODE, Package: 'p', ItemsProcessed: i });
        ${body}`,
      ],
      {
        cwd: root,
        env: { ...process.env, DB_URL: faulted.url(), JOURNAL: journal, CODE: journal },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const seen = { output: '' };
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        seen.output += chunk;
        if (seen.output.includes(marker)) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`child exited early with ${code}: ${seen.output}`)),
      );
    });
    return { child, seen };
  }

  async function kill(child: ReturnType<typeof spawn>): Promise<void> {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  it('after a SIGKILL, the next start writes every row that reached the journal', async () => {
    const journal = join(dir, 'crash.db');
    await proxy.set({ kind: 'refuse' });
    const rows = 2_000;
    const { child } = await spawnWriter(
      journal,
      `for (let i = 0; i < ${rows}; i++) writer.enqueue('${TABLE}', row(i));
      const check = setInterval(() => {
        if (writer.stats().journaled === ${rows}) { clearInterval(check); console.log('journaled'); setInterval(() => {}, 1000); }
      }, 20);`,
      'journaled',
    );
    await kill(child);
    await proxy.set({ kind: 'none' });
    const next = open('crash.db');
    await next.ready();
    await waitFor(async () => (await stored(journal)).rows === rows, 10_000);
    await next.flush();
    expect(await stored(journal)).toEqual({ rows, distinct: rows });
    expect(next.stats()).toMatchObject({ written: rows, waiting: 0, journaled: 0 });
  }, 30_000);

  it('a SIGKILL during an outage at 500 rows/s loses at most the rows of the last flush interval (1 s: 500 rows)', async () => {
    const journal = join(dir, 'kill-loss.db');
    await proxy.set({ kind: 'refuse' });
    const { child, seen } = await spawnWriter(
      journal,
      `let sent = 0;
      setInterval(() => { for (let i = 0; i < 5; i++) writer.enqueue('${TABLE}', row(sent++)); }, 10);
      setInterval(() => console.log('sent ' + sent + (sent >= 1500 ? ' running' : '')), 20);`,
      'running',
    );
    await sleep(Math.random() * 1_000);
    await kill(child);
    const sent = Math.max(
      ...[...seen.output.matchAll(/sent (\d+)/g)].map((match) => Number(match[1])),
    );
    await proxy.set({ kind: 'none' });
    const next = open('kill-loss.db');
    await next.ready();
    await waitFor(() => next.stats().journaled === 0 && next.stats().written > 0, 10_000);
    const { rows, distinct } = await stored(journal);
    // The child may have enqueued up to 20 ms of rows (10) after its last report.
    const lost = sent + 10 - rows;
    console.info(`def_metric spill: SIGKILL during an outage lost at most ${lost} of ${sent} rows`);
    expect(distinct).toBe(rows);
    expect(rows).toBeLessThanOrEqual(sent + 10);
    expect(lost).toBeLessThanOrEqual(550);
  }, 30_000);
});
