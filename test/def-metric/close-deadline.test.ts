import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, exitWithin, startChild } from '../support/child-process.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import {
  createTestDatabase,
  importRows,
  MARIADB,
  mariadbAvailable,
  type TestDatabase,
} from './helpers/mariadb.js';

const MARIADB_UP = await mariadbAvailable('def_metric close-deadline suite');
const root = import.meta.dirname.replace(/\/test\/def-metric$/, '');
const TABLE = 'def_dataimport_metric';
const DEADLINE_MS = 3_000;
/** Rows written before the fault, and rows enqueued once it is on. */
const BEFORE = 200;
const DURING = 3_000;

/**
 * A process with a writer on MariaDB through the fault proxy: it writes BEFORE rows, says `ready`,
 * and on SIGUSR2 enqueues DURING more and closes the writer with the deadline (with ON_SIGTERM it
 * leaves the closing to closeOnSignals). Nothing else holds it open once the writer is closed.
 */
const CHILD = `
  import { closeOnSignals, createDefMetricWriter } from 'opmeter/def-metric';
  const writer = createDefMetricWriter({ url: process.env.DB_URL, retention: false, onWarning: () => {} });
  const row = (i) => ({ DataimportCode: process.env.CODE, Package: 'p', ItemsProcessed: i });
  await writer.ready();
  for (let i = 0; i < ${BEFORE}; i++) writer.enqueue('${TABLE}', row(i));
  await writer.flush();
  const keepAlive = setInterval(() => {}, 1000);
  if (process.env.ON_SIGTERM) closeOnSignals(writer, { deadlineMs: ${DEADLINE_MS} });
  process.once('SIGUSR2', async () => {
    for (let i = ${BEFORE}; i < ${BEFORE + DURING}; i++) writer.enqueue('${TABLE}', row(i));
    console.log('enqueued');
    if (process.env.ON_SIGTERM) return;
    clearInterval(keepAlive);
    const started = performance.now();
    await writer.close({ deadlineMs: ${DEADLINE_MS} });
    const closeMs = Math.round(performance.now() - started);
    console.log('closed ' + JSON.stringify({ closeMs, ...writer.stats() }));
  });
  console.log('ready');
`;

const FAULTS: Record<string, Fault> = {
  refused: { kind: 'refuse' },
  blackholed: { kind: 'blackhole' },
  reset: { kind: 'reset' },
  slow: { kind: 'slow', delayMs: 400 },
};

describe.skipIf(!MARIADB_UP)(
  'def_metric writer close deadline in every fault (child processes)',
  () => {
    let database: TestDatabase;
    const proxies: FaultProxy[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      for (const proxy of proxies) await proxy.close();
      await database?.drop();
    });

    async function childBehind(
      code: string,
      env: Record<string, string> = {},
    ): Promise<{ child: Child; proxy: FaultProxy }> {
      const proxy = await startFaultProxy(MARIADB.host, MARIADB.port);
      proxies.push(proxy);
      const child = startChild(CHILD, root, {
        ...env,
        DB_URL: database.url(proxy.port),
        CODE: code,
      });
      await child.line('ready');
      return { child, proxy };
    }

    it(`close({ deadlineMs: ${DEADLINE_MS} }) resolves within ${DEADLINE_MS + 200} ms, counts every unwritten row, and the process exits by itself: refused, blackholed, reset, slow`, async () => {
      const runs = await Promise.all(
        Object.entries(FAULTS).map(async ([name, fault]) => {
          const { child, proxy } = await childBehind(name);
          await proxy.set(fault);
          child.process.kill('SIGUSR2');
          const closed = JSON.parse((await child.line('closed ')).slice('closed '.length)) as {
            closeMs: number;
            waiting: number;
            written: number;
            rejected: number;
            dropped: number;
          };
          const closedAt = Date.now();
          const exit = await exitWithin(child, 5_000);
          await proxy.set({ kind: 'none' });
          return { name, closed, exit, exitAfterCloseMs: exit ? exit.at - closedAt : undefined };
        }),
      );
      console.info(
        `def_metric close deadline: ${runs.map((r) => `${r.name} ${r.closed.closeMs} ms (exit ${r.exitAfterCloseMs} ms later, ${r.closed.dropped} dropped)`).join('; ')}`,
      );
      for (const { name, closed, exit } of runs) {
        expect(exit, `${name}: the process did not exit by itself`).toMatchObject({ code: 0 });
        expect(closed.closeMs, name).toBeLessThanOrEqual(DEADLINE_MS + 200);
        expect(closed.waiting, name).toBe(0);
        expect(closed.written + closed.dropped + closed.rejected, name).toBe(BEFORE + DURING);
        const { rows } = await importRows(database, name);
        // A statement still in flight at the deadline may land later (slow); otherwise exactly what was counted.
        if (name === 'slow') expect(rows).toBeGreaterThanOrEqual(closed.written);
        else expect(rows, name).toBe(closed.written);
      }
      expect(runs.find((r) => r.name === 'blackholed')?.closed.dropped).toBeGreaterThan(0);
    }, 30_000);

    it(`on SIGTERM with a blackholed database the process exits within the deadline + 1 s`, async () => {
      const { child, proxy } = await childBehind('sigterm', { ON_SIGTERM: '1' });
      await proxy.set({ kind: 'blackhole' });
      child.process.kill('SIGUSR2');
      await child.line('enqueued');
      child.process.kill('SIGTERM');
      const sentAt = Date.now();
      const exit = await exitWithin(child, DEADLINE_MS + 5_000);
      console.info(
        `def_metric SIGTERM: exited ${exit ? exit.at - sentAt : 'never'} ms after the signal`,
      );
      expect(exit).toMatchObject({ signal: 'SIGTERM' });
      expect((exit?.at ?? Number.POSITIVE_INFINITY) - sentAt).toBeLessThanOrEqual(
        DEADLINE_MS + 1_000,
      );
    }, 30_000);
  },
);
