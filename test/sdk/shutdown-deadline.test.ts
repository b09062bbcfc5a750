import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, startChild } from '../support/child-process.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';

const root = import.meta.dirname.replace(/\/test\/sdk$/, '');
const DEADLINE_MS = 1_500;

/**
 * A process pushing OTLP through the fault proxy (pushes may take 10 s, retries included): it says
 * `ready` after a push got through, and on SIGUSR2 records more and shuts down with the deadline,
 * whose final push meets the fault. Nothing else holds it open.
 */
const CHILD = `
  import { startMetrics } from 'opmeter/sdk';
  const telemetry = await startMetrics({
    registerGlobal: false,
    env: {},
    otlp: { endpoint: process.env.OTLP_URL, exportIntervalMs: 60000, exportTimeoutMs: 10000 },
  });
  const counter = telemetry.meterProvider.getMeter('deadline').createCounter('jobs.done');
  for (let i = 0; i < 1000; i++) counter.add(1, { job: 'j' + i });
  await telemetry.forceFlush({ deadlineMs: 5000 });
  const keepAlive = setInterval(() => {}, 1000);
  process.once('SIGUSR2', async () => {
    clearInterval(keepAlive);
    for (let i = 0; i < 1000; i++) counter.add(1, { job: 'k' + i });
    const started = performance.now();
    const outcome = await telemetry.shutdown({ deadlineMs: ${DEADLINE_MS} }).then(
      () => 'resolved',
      (error) => error.name,
    );
    const shutdownMs = Math.round(performance.now() - started);
    console.log('closed ' + JSON.stringify({ shutdownMs, outcome }));
  });
  console.log('ready');
`;

const FAULTS: Record<string, Fault> = {
  none: { kind: 'none' },
  refused: { kind: 'refuse' },
  blackholed: { kind: 'blackhole' },
  reset: { kind: 'reset' },
  slow: { kind: 'slow', delayMs: 3_000 },
};

describe('startMetrics shutdown deadline with OTLP in every fault (child processes)', () => {
  let collector: ReturnType<typeof createServer>;
  let collectorPort = 0;
  const proxies: FaultProxy[] = [];

  beforeAll(async () => {
    collector = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    collectorPort = (collector.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    collector.closeAllConnections();
    await new Promise((resolve) => collector.close(resolve));
  });

  it(`shutdown({ deadlineMs: ${DEADLINE_MS} }) settles within ${DEADLINE_MS + 200} ms and the process exits by itself: no fault, refused, blackholed, reset, slow`, async () => {
    const runs = await Promise.all(
      Object.entries(FAULTS).map(async ([name, fault]) => {
        const proxy = await startFaultProxy('127.0.0.1', collectorPort);
        proxies.push(proxy);
        const child = startChild(CHILD, root, {
          OTLP_URL: `http://127.0.0.1:${proxy.port}/v1/metrics`,
        });
        await child.line('ready');
        await proxy.set(fault);
        child.process.kill('SIGUSR2');
        const closed = JSON.parse((await child.line('closed ')).slice('closed '.length)) as {
          shutdownMs: number;
          outcome: string;
        };
        const closedAt = Date.now();
        const exit = await exitWithin(child, 5_000);
        return { name, closed, exit, exitAfterMs: exit ? exit.at - closedAt : undefined };
      }),
    );
    console.info(
      `SDK shutdown deadline: ${runs.map((r) => `${r.name} ${r.closed.outcome} in ${r.closed.shutdownMs} ms (exit ${r.exitAfterMs ?? 'never'} ms later)`).join('; ')}`,
    );
    for (const { name, closed, exit } of runs) {
      expect(exit, `${name}: the process did not exit by itself`).toMatchObject({ code: 0 });
      expect(closed.shutdownMs, name).toBeLessThanOrEqual(DEADLINE_MS + 200);
      expect(['resolved', 'DeadlineError'], name).toContain(closed.outcome);
    }
    expect(runs.find((r) => r.name === 'none')?.closed.outcome).toBe('resolved');
    for (const name of ['refused', 'blackholed', 'reset', 'slow']) {
      expect(runs.find((r) => r.name === name)?.closed.outcome, name).toBe('DeadlineError');
    }
  }, 30_000);
});
