import type { AttributeValue } from '@opentelemetry/api';
import { checkInteger, checkKeys, isRecord } from './check.js';
import { type Env, type MetricsEnv, parseMetricsEnv, type Temporality } from './env.js';
import { OpmeterConfigError } from './errors.js';
import type { OtlpHistogramOptions, StartMetricsOptions } from './options.js';
import { type ValidView, validateViews } from './views/validate.js';

/** `service.name` when neither options nor environment give one. */
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';
/** Series per instrument when no `cardinalityLimit` is given (the OTel SDK default). */
export const DEFAULT_CARDINALITY_LIMIT = 2000;
/** Default Prometheus scrape address: loopback only, so nothing is exposed unless asked. */
export const DEFAULT_PROMETHEUS = { host: '127.0.0.1', port: 9464, path: '/metrics' } as const;
/** Default OTLP/HTTP metrics URL. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318/v1/metrics';
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_MS = 2 ** 31 - 1;

/** Fully resolved Prometheus settings. */
export type ResolvedPrometheus =
  | { mode: 'listen'; host: string; port: number; path: string }
  | { mode: 'handler' };

/** Fully resolved OTLP settings. */
export interface ResolvedOtlp {
  url: string;
  headers: Record<string, string>;
  exportIntervalMs: number;
  exportTimeoutMs: number;
  temporality: Temporality;
  histogram: OtlpHistogramOptions;
}

/** Everything {@link startMetrics} needs, after options, environment and defaults are merged. */
export interface ResolvedConfig {
  serviceName: string;
  resourceAttributes: Record<string, AttributeValue>;
  prometheus: ResolvedPrometheus | undefined;
  otlp: ResolvedOtlp | undefined;
  inMemory: boolean;
  views: ValidView[];
  cardinalityLimit: number;
  registerGlobal: boolean;
}

const OPTION_KEYS = [
  'serviceName',
  'resourceAttributes',
  'prometheus',
  'otlp',
  'inMemory',
  'views',
  'cardinalityLimit',
  'registerGlobal',
  'env',
  'stats',
  'rows',
];

/**
 * Merges options (first), the `OTEL_*` variables of `env` (second) and defaults (last), and checks
 * the result. Pure: nothing is started.
 * @throws OpmeterConfigError saying which option or variable is wrong and how to fix it.
 */
export function resolveConfig(options: StartMetricsOptions = {}, env: Env = {}): ResolvedConfig {
  if (!isRecord(options as unknown)) {
    throw new OpmeterConfigError('startMetrics options must be an object');
  }
  checkKeys(options, OPTION_KEYS, 'startMetrics options');
  const fromEnv = parseMetricsEnv(env);
  const serviceName =
    options.serviceName ?? fromEnv.serviceName ?? fromEnv.resourceAttributes['service.name'];
  if (serviceName !== undefined && (typeof serviceName !== 'string' || serviceName.trim() === '')) {
    throw new OpmeterConfigError('serviceName is empty: give your service a name or remove it');
  }
  const config: ResolvedConfig = {
    serviceName: serviceName ?? DEFAULT_SERVICE_NAME,
    resourceAttributes: { ...fromEnv.resourceAttributes, ...options.resourceAttributes },
    prometheus: resolvePrometheus(options.prometheus, fromEnv),
    otlp: resolveOtlp(options.otlp, fromEnv),
    inMemory: options.inMemory === true,
    views: validateViews(options.views),
    cardinalityLimit:
      options.cardinalityLimit === undefined
        ? DEFAULT_CARDINALITY_LIMIT
        : checkInteger(options.cardinalityLimit, 1, Number.MAX_SAFE_INTEGER, 'cardinalityLimit'),
    registerGlobal: options.registerGlobal ?? true,
  };
  const exponential = config.views.find(
    (view) => view.drop !== true && view.histogram?.kind === 'exponential',
  );
  if (config.prometheus !== undefined && exponential !== undefined) {
    throw new OpmeterConfigError(
      `view on ${exponential.instrument} asks for an exponential histogram, which the Prometheus ` +
        "endpoint cannot serve: use otlp.histogram { kind: 'exponential' } (OTLP only) or explicit boundaries",
    );
  }
  return config;
}

function resolvePrometheus(
  option: StartMetricsOptions['prometheus'],
  env: MetricsEnv,
): ResolvedPrometheus | undefined {
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  if (!isRecord(given as unknown)) {
    throw new OpmeterConfigError('prometheus must be true, false or an object');
  }
  if (given.mode === 'handler') {
    checkKeys(given, ['mode'], 'prometheus (handler mode)');
    return { mode: 'handler' };
  }
  if (given.mode !== undefined && given.mode !== 'listen') {
    throw new OpmeterConfigError("prometheus.mode must be 'listen' or 'handler'");
  }
  checkKeys(given, ['mode', 'host', 'port', 'path'], 'prometheus');
  const host = given.host ?? env.prometheusHost ?? DEFAULT_PROMETHEUS.host;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new OpmeterConfigError('prometheus.host is empty: use e.g. 127.0.0.1 or 0.0.0.0');
  }
  const port = checkInteger(
    given.port ?? env.prometheusPort ?? DEFAULT_PROMETHEUS.port,
    0,
    65535,
    'prometheus.port',
  );
  const path = given.path ?? DEFAULT_PROMETHEUS.path;
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#\s]/.test(path)) {
    throw new OpmeterConfigError(
      `prometheus.path ${JSON.stringify(path)} must start with '/' and have no query: e.g. /metrics`,
    );
  }
  return { mode: 'listen', host, port, path };
}

function resolveOtlp(
  option: StartMetricsOptions['otlp'],
  env: MetricsEnv,
): ResolvedOtlp | undefined {
  if (option === false || (option === undefined && env.otlpEndpoint === undefined)) {
    return undefined;
  }
  const given = option === undefined || option === true ? {} : option;
  if (!isRecord(given as unknown)) {
    throw new OpmeterConfigError('otlp must be true, false or an object');
  }
  checkKeys(
    given,
    ['endpoint', 'headers', 'exportIntervalMs', 'exportTimeoutMs', 'temporality', 'histogram'],
    'otlp',
  );
  const url = given.endpoint ?? env.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new OpmeterConfigError(
      `otlp.endpoint ${JSON.stringify(url)} is not an http(s) URL: e.g. http://localhost:4318/v1/metrics`,
    );
  }
  const interval = checkInteger(
    given.exportIntervalMs ?? env.exportIntervalMs ?? DEFAULT_INTERVAL_MS,
    1,
    MAX_MS,
    'otlp.exportIntervalMs',
  );
  const explicitTimeout = given.exportTimeoutMs ?? env.exportTimeoutMs;
  const timeout = checkInteger(
    explicitTimeout ?? Math.min(DEFAULT_TIMEOUT_MS, interval),
    1,
    MAX_MS,
    'otlp.exportTimeoutMs',
  );
  if (timeout > interval) {
    throw new OpmeterConfigError(
      `otlp.exportTimeoutMs (${timeout}) exceeds otlp.exportIntervalMs (${interval}): a push must ` +
        'end before the next one starts; lower the timeout (OTEL_METRIC_EXPORT_TIMEOUT) or raise the interval',
    );
  }
  const temporality = given.temporality ?? env.otlpTemporality ?? 'cumulative';
  if (!['cumulative', 'delta', 'lowmemory'].includes(temporality)) {
    throw new OpmeterConfigError("otlp.temporality must be 'cumulative', 'delta' or 'lowmemory'");
  }
  return {
    url,
    headers: { ...env.otlpHeaders, ...given.headers },
    exportIntervalMs: interval,
    exportTimeoutMs: timeout,
    temporality,
    histogram: resolveOtlpHistogram(given.histogram, env),
  };
}

function resolveOtlpHistogram(
  option: OtlpHistogramOptions | undefined,
  env: MetricsEnv,
): OtlpHistogramOptions {
  if (option === undefined) return { kind: env.otlpHistogram ?? 'explicit' };
  if (option.kind === 'explicit') {
    checkKeys(option, ['kind'], 'otlp.histogram');
    return option;
  }
  if (option.kind !== 'exponential') {
    throw new OpmeterConfigError("otlp.histogram.kind must be 'explicit' or 'exponential'");
  }
  checkKeys(option, ['kind', 'maxSize'], 'otlp.histogram');
  if (option.maxSize !== undefined)
    checkInteger(option.maxSize, 2, 16384, 'otlp.histogram.maxSize');
  return option;
}
