import { describe, expect, it } from 'vitest';
import {
  ATTR_REASON,
  createDefMetricWriter,
  type DefMetricRowWriter,
  DROP_REASON_QUEUE_FULL,
  loadSchemaRegistry,
  METRIC_ROWS_DROPPED,
} from '../../src/def-metric/index.js';
import { waitFor } from './helpers/dialects.js';
import { useFaultedDatabase } from './helpers/faulted-database.js';
import { mariadbAvailable } from './helpers/mariadb.js';
import { createTestMeter } from './helpers/test-meter.js';

const MARIADB_UP = await mariadbAvailable('def_metric outage suite');
const TABLE = 'def_dataimport_metric';
const registry = loadSchemaRegistry();

describe.skipIf(!MARIADB_UP)('def_metric writer through a database outage', () => {
  const faulted = useFaultedDatabase();
  const stored = (code: string) => faulted.stored(code);

  /** Enqueues `perTick` rows every 10 ms (500 rows/s for 5) with increasing ItemsProcessed. */
  function produce(writer: DefMetricRowWriter, code: string, perTick = 5) {
    const state = { sent: 0, stop: () => clearInterval(timer) };
    const timer = setInterval(() => {
      for (let i = 0; i < perTick; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: code, Package: 'p', ItemsProcessed: state.sent });
        state.sent += 1;
      }
    }, 10);
    return state;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('with the default retry settings, resumes within 2 s of the return after a 6 s refusal at 500 rows/s; every drop counted', async () => {
    const meter = createTestMeter();
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      maxQueueSize: 1_000,
      retention: false,
      meterProvider: meter.meterProvider,
      onWarning: () => {},
    });
    await writer.ready();
    const producer = produce(writer, 'refusal');
    try {
      await waitFor(() => writer.stats().written > 0);
      await faulted.proxy.set({ kind: 'refuse' });
      await sleep(6_000);
      const writtenBefore = writer.stats().written;
      const returnedAt = Date.now();
      await faulted.proxy.set({ kind: 'none' });
      await waitFor(() => writer.stats().written > writtenBefore, 5_000);
      const resumedMs = Date.now() - returnedAt;
      console.info(
        `def_metric outage: writing resumed ${resumedMs} ms after the database returned`,
      );
      expect(resumedMs).toBeLessThanOrEqual(2_000);
      await sleep(500);
    } finally {
      producer.stop();
    }
    await writer.flush();
    const dropped = await meter.sum(METRIC_ROWS_DROPPED);
    expect(dropped).toBeGreaterThan(0);
    expect(await meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_QUEUE_FULL })).toBe(
      dropped,
    );
    const { rows, distinct } = await stored('refusal');
    expect(distinct).toBe(rows);
    expect(rows).toBe(writer.stats().written);
    expect(rows + dropped).toBe(producer.sent);
    await writer.close();
  }, 30_000);

  it('warns about a database that accepts connections but never answers within 5 s, and writes everything once it answers again', async () => {
    const warnings: { at: number; message: string }[] = [];
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      retention: false,
      onWarning: (message) => warnings.push({ at: Date.now(), message }),
    });
    await writer.ready();
    const producer = produce(writer, 'blackhole');
    let firstWarningMs: number;
    try {
      await waitFor(() => writer.stats().written > 0);
      const silentAt = Date.now();
      await faulted.proxy.set({ kind: 'blackhole' });
      await waitFor(() => warnings.some((w) => w.message.includes('unavailable')), 8_000);
      firstWarningMs =
        (warnings.find((w) => w.message.includes('unavailable'))?.at ?? 0) - silentAt;
      console.info(
        `def_metric blackhole: first warning ${firstWarningMs} ms after the database fell silent`,
      );
      await faulted.proxy.set({ kind: 'none' });
      await sleep(500);
    } finally {
      producer.stop();
    }
    expect(firstWarningMs).toBeLessThanOrEqual(5_000);
    await writer.flush();
    expect(await stored('blackhole')).toEqual({ rows: producer.sent, distinct: producer.sent });
    expect(writer.stats()).toMatchObject({ written: producer.sent, dropped: 0, waiting: 0 });
    await writer.close();
  }, 30_000);

  it('resumes within 2 s of a blackholed database’s return, whatever was in flight (an INSERT, a migration, a probe), every row once', async () => {
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      retention: false,
      onWarning: () => {},
    });
    await writer.ready();
    const producer = produce(writer, 'blackhole-return');
    const resumed: number[] = [];
    try {
      // 1.2 s: the INSERT sent into the blackhole is still waiting at the return; longer ones
      // return while a retry (migration, connection handshake) or a probe is stuck.
      for (const outageMs of [1_200, 3_500, 6_000]) {
        await waitFor(() => writer.stats().written > 0 && writer.stats().waiting < 50, 5_000);
        await faulted.proxy.set({ kind: 'blackhole' });
        await sleep(outageMs);
        const writtenBefore = writer.stats().written;
        const returnedAt = Date.now();
        await faulted.proxy.set({ kind: 'none' });
        await waitFor(() => writer.stats().written > writtenBefore, 5_000);
        resumed.push(Date.now() - returnedAt);
      }
    } finally {
      producer.stop();
    }
    console.info(
      `def_metric blackhole return: writing resumed ${resumed.join(', ')} ms after the database returned (outages 1.2, 3.5, 6 s)`,
    );
    for (const ms of resumed) expect(ms).toBeLessThanOrEqual(2_000);
    await writer.flush();
    expect(await stored('blackhole-return')).toEqual({
      rows: producer.sent,
      distinct: producer.sent,
    });
    expect(writer.stats()).toMatchObject({ written: producer.sent, dropped: 0, waiting: 0 });
    await writer.close();
  }, 40_000);

  it('a reset after every second INSERT landed (answer lost) is retried without duplicates and without loss', async () => {
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      batchSize: 100,
      flushIntervalMs: 20,
      retryInitialMs: 20,
      retention: false,
      onWarning: () => {},
    });
    await writer.ready();
    const lostBefore = faulted.proxy.stats.lostReplies;
    await faulted.proxy.set({ kind: 'lose-replies', every: 2 });
    const total = 2_000;
    try {
      for (let i = 0; i < total; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: 'reset', Package: 'p', ItemsProcessed: i });
        if (i % 100 === 99) await sleep(5);
      }
      await writer.flush();
    } finally {
      await faulted.proxy.set({ kind: 'none' });
    }
    expect(faulted.proxy.stats.lostReplies - lostBefore).toBeGreaterThanOrEqual(5);
    expect(await stored('reset')).toEqual({ rows: total, distinct: total });
    expect(writer.stats()).toMatchObject({ written: total, dropped: 0, rejected: 0, waiting: 0 });
    await writer.close();
  }, 30_000);

  it('keeps every row enqueued while the database is cut off for seconds, and writes them all after', async () => {
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      batchSize: 20,
      flushIntervalMs: 20,
      retryInitialMs: 50,
      retryMaxMs: 400,
      maxQueueSize: 100_000,
      retention: false,
      onWarning: (message) => warnings.push(message),
      warningIntervalMs: 1_000,
    });
    await writer.ready();
    let sent = 0;
    const produce = setInterval(() => {
      for (let i = 0; i < 5; i += 1) {
        writer.enqueue(TABLE, { DataimportCode: 'outage', Package: 'p', ItemsProcessed: sent });
        sent += 1;
      }
    }, 5);
    try {
      await waitFor(async () => (await stored('outage')).rows >= 50);
      await faulted.proxy.set({ kind: 'refuse' });
      const sentAtCut = sent;
      const cutUntil = Date.now() + 3_000;
      await waitFor(() => Date.now() >= cutUntil, 5_000);
      expect(sent - sentAtCut).toBeGreaterThan(100);
      expect(writer.stats().waiting).toBeGreaterThan(0);
      expect(warnings.some((w) => w.includes('unavailable'))).toBe(true);
      await faulted.proxy.set({ kind: 'none' });
      await waitFor(() => sent >= sentAtCut + 1_000, 10_000);
    } finally {
      clearInterval(produce);
    }
    await writer.flush();
    expect(await stored('outage')).toEqual({ rows: sent, distinct: sent });
    expect(writer.stats()).toMatchObject({ waiting: 0, dropped: 0, rejected: 0 });
    await writer.close();
  });

  it('with a tiny queue: rows stored + rows counted as dropped = rows enqueued', async () => {
    const meter = createTestMeter();
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: faulted.url(),
      schemas: registry,
      batchSize: 5,
      flushIntervalMs: 20,
      retryInitialMs: 50,
      retryMaxMs: 200,
      maxQueueSize: 10,
      retention: false,
      meterProvider: meter.meterProvider,
      onWarning: (message) => warnings.push(message),
    });
    await writer.ready();
    await faulted.proxy.set({ kind: 'refuse' });
    const total = 300;
    for (let i = 0; i < total; i += 1) {
      writer.enqueue(TABLE, { DataimportCode: 'tiny', Package: 'p', ItemsProcessed: i });
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await faulted.proxy.set({ kind: 'none' });
    await writer.close({ deadlineMs: 20_000 });
    const dropped = await meter.sum(METRIC_ROWS_DROPPED);
    expect(dropped).toBeGreaterThan(0);
    expect(await meter.sum(METRIC_ROWS_DROPPED, { [ATTR_REASON]: DROP_REASON_QUEUE_FULL })).toBe(
      dropped,
    );
    expect((await stored('tiny')).rows + dropped).toBe(total);
    expect(warnings.filter((w) => w.includes('queue full'))).toHaveLength(1);
  });
});
