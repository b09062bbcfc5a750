import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDefMetricWriter,
  createSqliteDialect,
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  type DefMetricRowWriter,
  loadSchemaRegistry,
} from '../../src/def-metric/index.js';
import { waitFor } from './helpers/dialects.js';

const TABLE = 'def_dataimport_metric';
const LOCK_MS = 2_000;
const registry = loadSchemaRegistry();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a writer on a fresh SQLite file while a second connection holds `BEGIN EXCLUSIVE` for LOCK_MS. */
async function throughALock(busyTimeoutMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'opmeter-busy-'));
  const path = join(dir, 'busy.db');
  const warnings: string[] = [];
  const writer: DefMetricRowWriter = createDefMetricWriter({
    dialect: createSqliteDialect(busyTimeoutMs === undefined ? { path } : { path, busyTimeoutMs }),
    schemas: registry,
    retention: false,
    flushIntervalMs: 50,
    onWarning: (message) => warnings.push(message),
  });
  const other = new DatabaseSync(path);
  try {
    await writer.ready();
    let sent = 0;
    const produce = setInterval(() => {
      for (let i = 0; i < 5; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: 'busy', Package: 'p', ItemsProcessed: sent });
        sent += 1;
      }
    }, 10);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let released: number;
    try {
      await waitFor(() => writer.stats().written > 0);
      delay.enable();
      other.exec('BEGIN EXCLUSIVE');
      const writtenAtLock = writer.stats().written;
      await sleep(LOCK_MS);
      const writtenDuringLock = writer.stats().written - writtenAtLock;
      other.exec('COMMIT');
      released = Date.now();
      const resumedFrom = writer.stats().written;
      await waitFor(() => writer.stats().written > resumedFrom, 5_000);
      const resumedMs = Date.now() - released;
      await sleep(200);
      delay.disable();
      clearInterval(produce);
      await writer.flush();
      const [stored] = (await writer
        .ready()
        .then(() =>
          other
            .prepare(
              'SELECT COUNT(*) AS n, COUNT(DISTINCT ItemsProcessed) AS d FROM def_dataimport_metric',
            )
            .all(),
        )) as Array<{ n: number; d: number }>;
      return {
        sent,
        stored,
        stats: writer.stats(),
        warnings,
        writtenDuringLock,
        resumedMs,
        longestStallMs: delay.max / 1e6,
      };
    } finally {
      clearInterval(produce);
      delay.disable();
    }
  } finally {
    if (other.isTransaction) other.exec('ROLLBACK');
    other.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('def_metric on a locked SQLite file', () => {
  afterEach(() => undefined);

  it(`a second connection holding BEGIN EXCLUSIVE for ${LOCK_MS} ms: the event loop never stalls long (busy timeout ${DEFAULT_SQLITE_BUSY_TIMEOUT_MS} ms), SQLITE_BUSY is retried, every row lands once after the release`, async () => {
    const run = await throughALock();
    console.info(
      `def_metric SQLite lock: longest event-loop stall ${run.longestStallMs.toFixed(1)} ms during a ${LOCK_MS} ms exclusive lock; ` +
        `writing resumed ${run.resumedMs} ms after the release; ${run.sent} rows enqueued, ${run.stored?.n} stored`,
    );
    expect(run.longestStallMs).toBeLessThan(200);
    expect(run.writtenDuringLock).toBe(0);
    expect(run.warnings.some((w) => /SQLITE_BUSY|database is locked/i.test(w))).toBe(true);
    expect(Number(run.stored?.n)).toBe(run.sent);
    expect(Number(run.stored?.d)).toBe(run.sent);
    expect(run.stats).toMatchObject({ written: run.sent, dropped: 0, rejected: 0, waiting: 0 });
  }, 20_000);
});
