import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ApiInstrumentation } from '../../instrumentations/api/index.js';
import { CustomMetricError, CustomMetrics } from '../../instrumentations/custom/index.js';
import {
  InvalidModuleConfigError,
  ModuleInstrumentation,
} from '../../instrumentations/module/index.js';
import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import { startClusterPrimary, startClusterWorker } from '../../src/cluster/index.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { InvalidBucketsError, OpmeterConfigError } from '../../src/index.js';
import { startMetrics } from '../../src/sdk/index.js';

/** The error `fn` throws, or a failure when it throws none. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a configuration error, none was thrown');
}

describe('OpmeterConfigError: one class to catch every configuration mistake', () => {
  const meterProvider = new MeterProvider();

  it.each([
    ['an instrumentation limit', () => new ApiInstrumentation({ meterProvider, maxRoutes: 0 })],
    [
      'a meterProvider without getMeter()',
      () => new WorkflowInstrumentation({ meterProvider: {} as never }),
    ],
    [
      'the row writer options',
      () => createDefMetricWriter({ url: 'sqlite::memory:', batch: 1 } as never),
    ],
    [
      'a meterProvider whose getMeter() gives no Meter',
      () => new WorkflowInstrumentation({ meterProvider: { getMeter: () => undefined } as never }),
    ],
    [
      'a queue larger than the writer allocates',
      () => createDefMetricWriter({ url: 'sqlite::memory:', maxQueueSize: 2 ** 32 }),
    ],
    [
      'a schema path that does not exist',
      () => createDefMetricWriter({ url: 'sqlite::memory:', schemas: ['/no/such/schemas'] }),
    ],
    [
      'a runtime sampling interval',
      () => new RuntimeInstrumentation({ meterProvider, eventLoopDelayResolutionMs: 0.5 }),
    ],
  ])('%s throws an OpmeterConfigError naming the option', (_, build) => {
    const error = thrownBy(build);
    expect(error).toBeInstanceOf(OpmeterConfigError);
    expect((error as Error).name).toBe('OpmeterConfigError');
  });

  it.each([
    [null, 'database url must be a URL string, got null'],
    [5, 'database url must be a URL string, got number'],
    [{ kind: 'postgres' }, 'database url must be a URL string, got an object'],
    ['postgres://db/test', "unsupported database URL scheme 'postgres:'"],
  ])('a writer url of %j is refused with what to give instead', (url, message) => {
    const error = thrownBy(() => createDefMetricWriter({ url } as never));
    expect(error).toBeInstanceOf(OpmeterConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain('sqlite:./opmeter.db');
  });

  it.each([
    [
      'bucket boundaries',
      InvalidBucketsError,
      () => new WorkflowInstrumentation({ meterProvider, buckets: [2, 1] }),
    ],
    [
      'a module name',
      InvalidModuleConfigError,
      () => new ModuleInstrumentation({ meterProvider, module: 'Bad Name' }),
    ],
    [
      'a custom metric name',
      CustomMetricError,
      () => new CustomMetrics({ meterProvider }).increment('orders total'),
    ],
  ])('%s throws its own subclass of OpmeterConfigError', (_, kind, build) => {
    const error = thrownBy(build);
    expect(error).toBeInstanceOf(kind);
    expect(error).toBeInstanceOf(OpmeterConfigError);
    expect((error as Error).name).toBe(kind.name);
  });

  it('never shows the password of an OTLP endpoint, in an error or on the handle', async () => {
    const refused = startMetrics({ otlp: { endpoint: 'ftp://u:pa55@collector/v1/metrics' } });
    await expect(refused).rejects.toThrow('"ftp://***@collector/v1/metrics" is not an http(s) URL');
    const handle = await startMetrics({
      prometheus: false,
      otlp: { endpoint: 'http://u:pa55@127.0.0.1:9/v1/metrics', exportIntervalMs: 600_000 },
    });
    try {
      expect(handle.otlp?.url).toBe('http://u:***@127.0.0.1:9/v1/metrics');
    } finally {
      await handle.shutdown({ deadlineMs: 1000 });
    }
  });

  it('the cluster entry points name themselves and their keys for a misspelt option', async () => {
    await expect(startClusterPrimary({ intervalMS: 500 } as never)).rejects.toThrow(
      "startClusterPrimary options has an unknown key 'intervalMS': allowed keys are serviceName",
    );
    await expect(startClusterPrimary({ intervalMS: 500 } as never)).rejects.toThrow(
      'intervalMs, gaugePolicy, gaugePolicies',
    );
    expect(() => startClusterWorker({ intervalMS: 500 } as never)).toThrow(
      "startClusterWorker options has an unknown key 'intervalMS'",
    );
  });

  it('startMetrics() rejects bad code options with the same class', async () => {
    await expect(startMetrics({ prometheus: { port: -1 } } as never)).rejects.toBeInstanceOf(
      OpmeterConfigError,
    );
  });
});
