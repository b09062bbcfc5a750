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
