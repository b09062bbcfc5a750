import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_NAME,
  OpmeterConfigError,
  parseMetricsEnv,
  resolveConfig,
  startMetrics,
} from '../../src/sdk/index.js';

describe('parseMetricsEnv', () => {
  it('reads every supported variable', () => {
    expect(
      parseMetricsEnv({
        OTEL_SERVICE_NAME: 'orders',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%20b',
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9999',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=k1,x-tenant=t%2C1',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
        OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION:
          'base2_exponential_bucket_histogram',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
        OTEL_METRIC_EXPORT_TIMEOUT: '5000',
      }),
    ).toEqual({
      serviceName: 'orders',
      resourceAttributes: { 'deployment.environment': 'prod', team: 'a b' },
      prometheusHost: '0.0.0.0',
      prometheusPort: 9999,
      otlpEndpoint: 'http://collector:4318/v1/metrics',
      otlpHeaders: { 'api-key': 'k1', 'x-tenant': 't,1' },
      otlpTemporality: 'delta',
      otlpHistogram: 'exponential',
      exportIntervalMs: 15000,
      exportTimeoutMs: 5000,
    });
  });

  it('prefers the metrics-specific endpoint and takes it as is', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://b:9000/custom',
    });
    expect(env.otlpEndpoint).toBe('http://b:9000/custom');
    expect(parseMetricsEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' }).otlpEndpoint).toBe(
      'http://a:4318/v1/metrics',
    );
  });

  it('treats empty values as unset', () => {
    expect(parseMetricsEnv({ OTEL_METRIC_EXPORT_INTERVAL: '', OTEL_SERVICE_NAME: ' ' })).toEqual({
      resourceAttributes: {},
    });
  });

  it.each([
    [
      { OTEL_METRIC_EXPORT_INTERVAL: 'abc' },
      'OTEL_METRIC_EXPORT_INTERVAL="abc" is not a whole number between 1 and 2147483647: set it to e.g. 60000',
    ],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '0' }, 'OTEL_METRIC_EXPORT_INTERVAL="0" is not a whole number'],
    [
      { OTEL_METRIC_EXPORT_TIMEOUT: '1.5' },
      'OTEL_METRIC_EXPORT_TIMEOUT="1.5" is not a whole number',
    ],
    [
      { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' },
      'OTEL_EXPORTER_PROMETHEUS_PORT="70000" is not a whole number between 0 and 65535',
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not an http(s) URL',
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' },
      'is not one of cumulative, delta, lowmemory',
    ],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'just-a-token' },
      'OTEL_EXPORTER_OTLP_HEADERS: "just-a-token" is not a key=value pair',
    ],
    [
      { OTEL_RESOURCE_ATTRIBUTES: 'team=%E0%A4%A' },
      'OTEL_RESOURCE_ATTRIBUTES: the value of team is not valid percent-encoding',
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'exponential' },
      'is not one of explicit_bucket_histogram, base2_exponential_bucket_histogram',
    ],
  ])('rejects %o', (env, message) => {
    expect(() => parseMetricsEnv(env)).toThrow(OpmeterConfigError);
    expect(() => parseMetricsEnv(env)).toThrow(message);
  });

  it('makes startMetrics reject, naming the variable', async () => {
    await expect(
      startMetrics({
        registerGlobal: false,
        env: { OTEL_METRIC_EXPORT_INTERVAL: 'abc' },
        otlp: true,
      }),
    ).rejects.toThrow('OTEL_METRIC_EXPORT_INTERVAL="abc"');
  });
});

describe('resolveConfig', () => {
  it('takes service.name from options, then OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES', () => {
    const attrs = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,team=core' };
    const both = { ...attrs, OTEL_SERVICE_NAME: 'from-env' };
    expect(resolveConfig({ serviceName: 'from-code' }, both).serviceName).toBe('from-code');
    expect(resolveConfig({}, both).serviceName).toBe('from-env');
    expect(resolveConfig({}, attrs).serviceName).toBe('from-attrs');
    expect(resolveConfig({}, {}).serviceName).toBe(DEFAULT_SERVICE_NAME);
    expect(
      resolveConfig({ resourceAttributes: { team: 'code' } }, attrs).resourceAttributes,
    ).toEqual({ 'service.name': 'from-attrs', team: 'code' });
  });

  it('defaults Prometheus to 127.0.0.1:9464/metrics; code wins over env', () => {
    expect(resolveConfig({ prometheus: true }, {}).prometheus).toEqual({
      mode: 'listen',
      host: '127.0.0.1',
      port: 9464,
      path: '/metrics',
    });
    const env = { OTEL_EXPORTER_PROMETHEUS_PORT: '9100', OTEL_EXPORTER_PROMETHEUS_HOST: '::1' };
    expect(resolveConfig({ prometheus: true }, env).prometheus).toMatchObject({
      host: '::1',
      port: 9100,
    });
    expect(resolveConfig({ prometheus: { port: 1234 } }, env).prometheus).toMatchObject({
      port: 1234,
    });
    expect(resolveConfig({}, env).prometheus).toBeUndefined();
  });

  it('turns OTLP on from the environment, off with otlp: false, and applies OTel defaults', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(resolveConfig({}, {}).otlp).toBeUndefined();
    expect(resolveConfig({ otlp: false }, env).otlp).toBeUndefined();
    expect(resolveConfig({}, env).otlp).toEqual({
      url: 'http://c:4318/v1/metrics',
      headers: {},
      exportIntervalMs: 60000,
      exportTimeoutMs: 30000,
      temporality: 'cumulative',
      histogram: { kind: 'explicit' },
    });
    expect(resolveConfig({ otlp: true }, {}).otlp?.url).toBe('http://localhost:4318/v1/metrics');
  });

  it('clamps the default timeout to a short interval but refuses an explicit longer one', () => {
    expect(resolveConfig({ otlp: { exportIntervalMs: 1000 } }, {}).otlp?.exportTimeoutMs).toBe(
      1000,
    );
    expect(() =>
      resolveConfig({ otlp: { exportIntervalMs: 1000 } }, { OTEL_METRIC_EXPORT_TIMEOUT: '5000' }),
    ).toThrow('otlp.exportTimeoutMs (5000) exceeds otlp.exportIntervalMs (1000)');
  });

  it.each([
    [
      { prometheus: { port: 65536 } },
      'prometheus.port is 65536: expected a whole number between 0 and 65535',
    ],
    [{ prometheus: { path: 'metrics' } }, 'prometheus.path "metrics" must start with \'/\''],
    [
      { prometheus: { mode: 'handler', port: 1 } },
      "prometheus (handler mode) has an unknown key 'port'",
    ],
    [
      { otlp: { url: 'http://x' } },
      "otlp has an unknown key 'url': allowed keys are endpoint, headers",
    ],
    [{ otlp: { endpoint: 'nope' } }, 'otlp.endpoint "nope" is not an http(s) URL'],
    [{ cardinalityLimit: -1 }, 'cardinalityLimit is -1'],
    [{ serviceName: '' }, 'serviceName is empty'],
    [{ prometheus: true, port: 9464 }, "startMetrics options has an unknown key 'port'"],
  ])('rejects %o', (options, message) => {
    expect(() => resolveConfig(options as never, {})).toThrow(OpmeterConfigError);
    expect(() => resolveConfig(options as never, {})).toThrow(message);
  });
});
