import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Env,
  type MetricsHandle,
  resolveConfig,
  type StartMetricsOptions,
  startMetrics,
} from '../../src/sdk/index.js';

const handles: MetricsHandle[] = [];
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.shutdown({ deadlineMs: 1000 });
});

async function start(options: StartMetricsOptions, env: Env): Promise<MetricsHandle> {
  const handle = await startMetrics({ registerGlobal: false, ...options, env });
  handles.push(handle);
  return handle;
}

/** Which readers a configuration starts, as a sorted list of names. */
function readersOf(options: StartMetricsOptions, env: Env): string[] {
  const config = resolveConfig(options, env);
  return [
    config.prometheus && 'prometheus',
    config.otlp && 'otlp',
    config.consoleIntervalMs !== undefined && 'console',
  ]
    .filter((name): name is string => typeof name === 'string')
    .sort();
}

describe('OTEL_METRICS_EXPORTER and code options', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
  it.each([
    [{}, {}, []],
    [{}, endpoint, ['otlp']],
    [{}, { OTEL_METRICS_EXPORTER: 'otlp' }, ['otlp']],
    [{}, { OTEL_METRICS_EXPORTER: 'prometheus' }, ['prometheus']],
    [{}, { OTEL_METRICS_EXPORTER: 'console' }, ['console']],
    [{}, { OTEL_METRICS_EXPORTER: 'prometheus,otlp,console' }, ['console', 'otlp', 'prometheus']],
    [{}, { ...endpoint, OTEL_METRICS_EXPORTER: 'none' }, []],
    [{}, { ...endpoint, OTEL_METRICS_EXPORTER: 'prometheus' }, ['prometheus']],
    [{ prometheus: true }, { OTEL_METRICS_EXPORTER: 'none' }, ['prometheus']],
    [{ otlp: false }, { OTEL_METRICS_EXPORTER: 'otlp' }, []],
    [{ prometheus: false }, { OTEL_METRICS_EXPORTER: 'prometheus' }, []],
    [{}, { OTEL_METRICS_EXPORTER: 'zipkin' }, []],
  ] as [StartMetricsOptions, Env, string[]][])(
    'options %o with %o start %o',
    (options, env, readers) => {
      expect(readersOf(options, env)).toEqual(readers);
    },
  );

  it('serves Prometheus on the port of OTEL_EXPORTER_PROMETHEUS_PORT when the list names it', async () => {
    const handle = await start(
      {},
      {
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      },
    );
    expect(handle.prometheus?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(handle.prometheus?.url ?? '');
    expect(response.status).toBe(200);
  });
});

describe('OTEL_SDK_DISABLED', () => {
  it('starts nothing, registers nothing, and hands out a provider that records nowhere', async () => {
    const stats = { record: () => undefined } as unknown as StartMetricsOptions['stats'];
    const handle = await start(
      { prometheus: { port: 0 }, otlp: true, inMemory: true, stats, registerGlobal: true },
      { OTEL_SDK_DISABLED: 'true' },
    );
    expect(handle.prometheus).toBeUndefined();
    expect(handle.otlp).toBeUndefined();
    expect(handle.collect).toBeUndefined();
    expect(handle.stats).toBe(stats);
    expect(metrics.getMeterProvider()).not.toBe(handle.meterProvider);
    const counter = handle.meterProvider.getMeter('t').createCounter('jobs.done');
    expect(() => counter.add(1)).not.toThrow();
    await expect(handle.forceFlush()).resolves.toBeUndefined();
  });

  it('is off for false and for an invalid value (with a warning)', () => {
    expect(resolveConfig({}, { OTEL_SDK_DISABLED: 'false' }).disabled).toBe(false);
    const invalid = resolveConfig({}, { OTEL_SDK_DISABLED: '1' });
    expect(invalid.disabled).toBe(false);
    expect(invalid.warnings).toEqual([expect.stringContaining('OTEL_SDK_DISABLED="1"')]);
  });
});

describe('resource identity', () => {
  it('detects service.instance.id, host, os and process by default, without the command line', async () => {
    const handle = await start({ serviceName: 'orders' }, {});
    const attributes = handle.resource.attributes;
    expect(attributes).toMatchObject({
      'service.name': 'orders',
      'service.instance.id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'host.name': expect.any(String),
      'host.arch': expect.any(String),
      'os.type': 'linux',
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'telemetry.sdk.language': 'nodejs',
    });
    expect(attributes['process.command_args']).toBeUndefined();
  });

  it('runs only the detectors OTEL_NODE_RESOURCE_DETECTORS names; code options win', async () => {
    const only = await start({}, { OTEL_NODE_RESOURCE_DETECTORS: 'serviceinstance' });
    expect(only.resource.attributes['service.instance.id']).toEqual(expect.any(String));
    expect(only.resource.attributes['host.name']).toBeUndefined();
    expect(only.resource.attributes['process.pid']).toBeUndefined();

    const none = await start(
      { resourceDetectors: ['host'] },
      { OTEL_NODE_RESOURCE_DETECTORS: 'none' },
    );
    expect(none.resource.attributes['host.name']).toEqual(expect.any(String));
    expect(none.resource.attributes['service.instance.id']).toBeUndefined();
  });

  it('lets OTEL_RESOURCE_ATTRIBUTES set service.instance.id, unless the env detector is off', async () => {
    const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=replica-7,team=core' };
    const fromEnv = await start({}, env);
    expect(fromEnv.resource.attributes).toMatchObject({
      'service.instance.id': 'replica-7',
      team: 'core',
    });
    const withoutEnv = await start({}, { ...env, OTEL_NODE_RESOURCE_DETECTORS: 'host' });
    expect(withoutEnv.resource.attributes.team).toBeUndefined();
  });
});
