import { createServer, type Socket } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import type { RowSink } from '../../src/core/row-sink.js';
import { createViews, OpmeterConfigError, startMetrics } from '../../src/sdk/index.js';
import { InMemoryMetricReader } from '../../src/sdk/memory-reader.js';

describe('startMetrics', () => {
  it('registers the global provider by default and unregisters it on shutdown', async () => {
    const handle = await startMetrics({ env: {}, inMemory: true });
    expect(metrics.getMeterProvider()).toBe(handle.meterProvider);

    await expect(startMetrics({ env: {} })).rejects.toThrow(OpmeterConfigError);
    await expect(startMetrics({ env: {} })).rejects.toThrow(
      'a global MeterProvider is already registered',
    );

    const first = handle.shutdown();
    expect(handle.shutdown()).toBe(first);
    await first;
    expect(metrics.getMeterProvider()).not.toBe(handle.meterProvider);
  });

  it('leaves nothing running when the Prometheus port is in use, even with OTLP towards a silent collector', async () => {
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const otlpPort = (blackHole.address() as { port: number }).port;
    const first = await startMetrics({ env: {}, registerGlobal: false, prometheus: { port: 0 } });
    const port = Number(new URL(first.prometheus?.url ?? '').port);
    try {
      const started = performance.now();
      await expect(
        startMetrics({
          env: {},
          prometheus: { port },
          otlp: {
            endpoint: `http://127.0.0.1:${otlpPort}/v1/metrics`,
            exportIntervalMs: 60_000,
            exportTimeoutMs: 30_000,
          },
        }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(metrics.getMeterProvider()).not.toBeInstanceOf(MeterProvider);
      // The failed start's provider is gone: a new global registration succeeds.
      const again = await startMetrics({ env: {} });
      await again.shutdown();
    } finally {
      await first.shutdown();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  it('hands stats and rows on, so the handle can configure instrumentations', async () => {
    const rows: RowSink = { enqueue: () => undefined };
    const handle = await startMetrics({ env: {}, registerGlobal: false, rows });

    expect(handle.rows).toBe(rows);
    expect(handle.collect).toBeUndefined();
    expect(handle.prometheus).toBeUndefined();
    await handle.forceFlush();
    await handle.shutdown();
  });

  it('builds the resource from options and the environment', async () => {
    const handle = await startMetrics({
      registerGlobal: false,
      serviceName: 'billing',
      resourceAttributes: { 'service.version': '1.2.3' },
      env: { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' },
    });

    expect(handle.resource.attributes).toMatchObject({
      'service.name': 'billing',
      'service.version': '1.2.3',
      'deployment.environment': 'prod',
      'telemetry.sdk.language': 'nodejs',
    });
    await handle.shutdown();
  });
});

describe('createViews', () => {
  it('gives an application-owned MeterProvider the same views', async () => {
    const reader = new InMemoryMetricReader(2000);
    const provider = new MeterProvider({
      readers: [reader],
      views: createViews([{ instrument: 'x', attributes: { kind: 'allow', keys: ['keep'] } }]),
    });
    provider.getMeter('t').createCounter('x').add(1, { keep: 'a', drop: 'b' });

    const { resourceMetrics } = await reader.collect();

    expect(resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0]?.attributes).toEqual({
      keep: 'a',
    });
    expect(() => createViews([{ instrument: '' } as never])).toThrow(OpmeterConfigError);
    await provider.shutdown();
  });
});
