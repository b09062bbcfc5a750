import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_NAME,
  OpmeterConfigError,
  parseMetricsEnv,
  RESOURCE_DETECTORS,
  resolveConfig,
  startMetrics,
} from '../../src/sdk/index.js';

describe('parseMetricsEnv', () => {
  it('reads every supported variable', () => {
    expect(
      parseMetricsEnv({
        OTEL_SDK_DISABLED: 'TRUE',
        OTEL_LOG_LEVEL: 'debug',
        OTEL_SERVICE_NAME: 'orders',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%20b',
        OTEL_NODE_RESOURCE_DETECTORS: 'process,host',
        OTEL_METRICS_EXPORTER: 'prometheus, otlp',
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9999',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=k1,x-tenant=t%2C1',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'api-key=k2',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem',
        OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: '/etc/key.pem',
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/cert.pem',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
        OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION:
          'base2_exponential_bucket_histogram',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
        OTEL_METRIC_EXPORT_TIMEOUT: '5000',
        OTEL_METRICS_EXEMPLAR_FILTER: 'always_off',
      }),
    ).toEqual({
      disabled: true,
      logLevel: DiagLogLevel.DEBUG,
      serviceName: 'orders',
      resourceAttributes: { 'deployment.environment': 'prod', team: 'a b' },
      resourceDetectors: ['host', 'process'],
      exporters: ['prometheus', 'otlp'],
      prometheusHost: '0.0.0.0',
      prometheusPort: 9999,
      otlpEndpoint: 'http://collector:4318/v1/metrics',
      otlpProtocol: 'http/json',
      otlpHeaders: { 'api-key': 'k2', 'x-tenant': 't,1' },
      otlpCompression: 'gzip',
      otlpTimeoutMs: 2500,
      otlpTls: {
        certificate: '/etc/ca.pem',
        clientKey: '/etc/key.pem',
        clientCertificate: '/etc/cert.pem',
      },
      otlpTemporality: 'delta',
      otlpHistogram: 'exponential',
      exportIntervalMs: 15000,
      exportTimeoutMs: 5000,
      exemplarFilter: 'always_off',
      warnings: [],
    });
  });

  it('prefers the metrics-specific variable of each OTLP pair', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://b:9000/custom',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_TIMEOUT: '100',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '200',
    });
    expect(env).toMatchObject({
      otlpEndpoint: 'http://b:9000/custom',
      otlpProtocol: 'http/protobuf',
      otlpCompression: 'gzip',
      otlpTimeoutMs: 200,
    });
    expect(parseMetricsEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' }).otlpEndpoint).toBe(
      'http://a:4318/v1/metrics',
    );
  });

  it('treats empty values as unset', () => {
    expect(parseMetricsEnv({ OTEL_METRIC_EXPORT_INTERVAL: '', OTEL_SERVICE_NAME: ' ' })).toEqual({
      disabled: false,
      resourceAttributes: {},
      otlpTls: {},
      warnings: [],
    });
  });

  it('reads none and all in the list variables', () => {
    expect(parseMetricsEnv({ OTEL_METRICS_EXPORTER: 'none' }).exporters).toEqual([]);
    expect(parseMetricsEnv({ OTEL_NODE_RESOURCE_DETECTORS: 'none' }).resourceDetectors).toEqual([]);
    expect(parseMetricsEnv({ OTEL_NODE_RESOURCE_DETECTORS: 'all' }).resourceDetectors).toEqual(
      RESOURCE_DETECTORS,
    );
  });

  it.each([
    [{ OTEL_METRIC_EXPORT_INTERVAL: 'abc' }, 'exportIntervalMs', 'a whole number between 1 and'],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '0' }, 'exportIntervalMs', 'a whole number'],
    [{ OTEL_METRIC_EXPORT_TIMEOUT: '1.5' }, 'exportTimeoutMs', 'a whole number'],
    [
      { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' },
      'prometheusPort',
      'a whole number between 0 and 65535',
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'otlpProtocol',
      'one of http/protobuf, http/json (opmeter sends OTLP over HTTP only; use http/protobuf against the collector port 4318)',
    ],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }, 'otlpProtocol', 'one of http/protobuf, http/json:'],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'br' }, 'otlpCompression', 'one of gzip, none'],
    [{ OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '-1' }, 'otlpTimeoutMs', 'a whole number'],
    [
      { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' },
      'otlpTemporality',
      'one of cumulative, delta, lowmemory',
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'exponential' },
      'otlpHistogram',
      'one of explicit_bucket_histogram, base2_exponential_bucket_histogram',
    ],
    [
      { OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0:9464' },
      'prometheusHost',
      'a host name or an IP address without a scheme or port',
    ],
    [
      { OTEL_EXPORTER_PROMETHEUS_HOST: 'http://0.0.0.0' },
      'prometheusHost',
      'a host name or an IP address',
    ],
    [{ OTEL_SDK_DISABLED: 'yes' }, 'logLevel', 'true or false'],
    [{ OTEL_LOG_LEVEL: 'loud' }, 'logLevel', 'one of none, error, warn'],
    [{ OTEL_METRICS_EXEMPLAR_FILTER: 'sampled' }, 'exemplarFilter', 'one of always_on'],
  ] as const)('warns about %o and leaves it at its default', (vars, field, expected) => {
    const env = parseMetricsEnv(vars);
    expect(env[field]).toBeUndefined();
    expect(env.disabled).toBe(false);
    const [name, raw] = Object.entries(vars)[0] ?? [];
    expect(env.warnings).toEqual([
      expect.stringContaining(`${name}=${JSON.stringify(raw)} is not ${expected}`),
    ]);
    expect(env.warnings[0]).toContain('using the default instead');
  });

  it('keeps the good pairs of a list with a bad one, and says which was skipped', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'just-a-token,api-key=k1',
      OTEL_RESOURCE_ATTRIBUTES: 'team=%E0%A4%A,region=eu',
      OTEL_METRICS_EXPORTER: 'otlp,zipkin',
    });
    expect(env.otlpHeaders).toEqual({ 'api-key': 'k1' });
    expect(env.resourceAttributes).toEqual({ region: 'eu' });
    expect(env.exporters).toEqual(['otlp']);
    expect(env.warnings).toEqual([
      expect.stringContaining('OTEL_RESOURCE_ATTRIBUTES has the pair "team" that is not key=value'),
      expect.stringContaining('OTEL_METRICS_EXPORTER="zipkin" is not one of otlp, prometheus'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS has a pair without a key'),
    ]);
    expect(env.warnings.join('\n')).not.toContain('just-a-token');
  });

  it('never prints a header value or an endpoint password it cannot use', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cr3t-token%ZZ',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'ftp://user:hunter2@collector:4318',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318',
    });
    expect(env.otlpEndpoint).toBeUndefined();
    const printed = env.warnings.join('\n');
    expect(printed).toContain('OTEL_EXPORTER_OTLP_HEADERS has the pair "authorization"');
    expect(printed).toContain('"ftp://***@collector:4318"');
    expect(printed).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT="otel-collector:4318" is not an http(s) URL, e.g. http://localhost:4318: it is ignored, so it does not turn OTLP on',
    );
    expect(printed).not.toContain('s3cr3t');
    expect(printed).not.toContain('hunter2');
  });

  it('never prints a header key that is not a header name: a comma in a value can make one of a secret', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer a,b S3CRET=x',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'ok=1,Bearer S3CRET=%ZZ',
    });
    const printed = env.warnings.join('\n');
    expect(printed).toContain('OTEL_EXPORTER_OTLP_HEADERS header #2 is left out');
    expect(printed).toContain('OTEL_EXPORTER_OTLP_METRICS_HEADERS has pair #2');
    expect(printed).not.toContain('S3CRET');
  });

  it('leaves out header pairs Node could not send (CR/LF in a value, a space in a name), unprinted', () => {
    const env = parseMetricsEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=secret%0D%0Ax-injected: 1,x tenant=t1,x-ok=fine',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-bell=a%07b',
    });
    expect(env.otlpHeaders).toEqual({ 'x-ok': 'fine' });
    expect(env.warnings).toEqual([
      expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS header "api-key" is left out: its value'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS header #2 is left out: its name'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_METRICS_HEADERS header "x-bell" is left out'),
    ]);
    expect(env.warnings.join('\n')).not.toContain('secret');
  });

  it('makes startMetrics warn once per bad variable and start with the default', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      if (warning.name === 'OpmeterWarning') warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      const handle = await startMetrics({
        registerGlobal: false,
        env: { OTEL_METRIC_EXPORT_INTERVAL: 'abc' },
        otlp: { endpoint: 'http://127.0.0.1:9/v1/metrics' },
      });
      expect(handle.otlp?.exportIntervalMs).toBe(60_000);
      await handle.shutdown({ deadlineMs: 500 }).catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([expect.stringContaining('OTEL_METRIC_EXPORT_INTERVAL="abc" is not')]);
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
      scopeLabels: true,
      timeoutMs: 10_000,
      maxInFlight: 4,
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
      protocol: 'http/protobuf',
      headers: {},
      compression: 'none',
      requestTimeoutMs: 10000,
      exportIntervalMs: 60000,
      exportTimeoutMs: 30000,
      temporality: 'cumulative',
      histogram: { kind: 'explicit' },
      tls: {},
    });
    expect(resolveConfig({ otlp: true }, {}).otlp?.url).toBe('http://localhost:4318/v1/metrics');
  });

  it('clamps the default timeout to a short interval but refuses an explicit longer one', () => {
    expect(resolveConfig({ otlp: { exportIntervalMs: 1000 } }, {}).otlp?.exportTimeoutMs).toBe(
      1000,
    );
    expect(() =>
      resolveConfig({ otlp: { exportIntervalMs: 1000, exportTimeoutMs: 5000 } }, {}),
    ).toThrow('otlp.exportTimeoutMs (5000) exceeds otlp.exportIntervalMs (1000)');
    const fromEnv = resolveConfig(
      { otlp: { exportIntervalMs: 1000 } },
      { OTEL_METRIC_EXPORT_TIMEOUT: '5000' },
    );
    expect(fromEnv.otlp?.exportTimeoutMs).toBe(1000);
    expect(fromEnv.warnings).toEqual([
      expect.stringContaining('OTEL_METRIC_EXPORT_TIMEOUT=5000 exceeds the export interval'),
    ]);
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
      "otlp has an unknown key 'url': allowed keys are endpoint, protocol, headers",
    ],
    [{ otlp: { endpoint: 'nope' } }, 'otlp.endpoint "nope" is not an http(s) URL'],
    [
      { otlp: { protocol: 'grpc' } },
      `otlp.protocol is "grpc": expected one of 'http/protobuf', 'http/json'`,
    ],
    [{ otlp: { compression: 'br' } }, `otlp.compression is "br": expected one of 'gzip', 'none'`],
    [
      { otlp: { certificate: '/nonexistent/ca.pem' } },
      'cannot read the OTLP TLS file "/nonexistent/ca.pem" (ENOENT)',
    ],
    [{ resourceDetectors: ['docker'] }, 'resourceDetectors has an unknown detector "docker"'],
    [{ cardinalityLimit: -1 }, 'cardinalityLimit is -1'],
    [{ serviceName: '' }, 'serviceName is empty'],
    [{ serviceName: 5 }, 'serviceName must be a string, got number'],
    [{ prometheus: { host: 5 } }, 'prometheus.host must be a string, got number'],
    [
      { otlp: { headers: { 'x-tenant': 'a\r\nx-injected: 1' } } },
      'otlp.headers["x-tenant"] cannot be sent: its value holds a control character',
    ],
    [
      { otlp: { headers: { 'x tenant': 'a' } } },
      'otlp.headers["x tenant"] cannot be sent: its name is not an HTTP token',
    ],
    [{ prometheus: true, port: 9464 }, "startMetrics options has an unknown key 'port'"],
  ])('rejects %o', (options, message) => {
    expect(() => resolveConfig(options as never, {})).toThrow(OpmeterConfigError);
    expect(() => resolveConfig(options as never, {})).toThrow(message);
  });
});
