import type { AttributeValue, DiagLogLevel } from '@opentelemetry/api';
import { OpmeterConfigError } from '../core/config-error.js';
import { checkInteger, checkKeys, isRecord } from '../core/config-validation.js';
import {
  type Env,
  type ExemplarFilter,
  type MetricsEnv,
  parseMetricsEnv,
  RESOURCE_DETECTORS,
  type ResourceDetectorName,
} from './env.js';
import type { StartMetricsOptions } from './options.js';
import { type ResolvedOtlp, resolveOtlp } from './otlp/resolve.js';
import {
  EXPOSITION_OPTION_KEYS,
  type ResolvedExposition,
  resolveExposition,
} from './prometheus/settings.js';
import { type ValidView, validateViews } from './views/validate.js';

/** `service.name` when neither options nor environment give one. */
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';
/** Series per instrument when no `cardinalityLimit` is given (the OTel SDK default). */
export const DEFAULT_CARDINALITY_LIMIT = 2000;
/** Default Prometheus scrape address: loopback only, so nothing is exposed unless asked. */
export const DEFAULT_PROMETHEUS = { host: '127.0.0.1', port: 9464, path: '/metrics' } as const;
/** Period of the console exporter when `OTEL_METRIC_EXPORT_INTERVAL` does not say. */
const DEFAULT_CONSOLE_INTERVAL_MS = 60_000;

/** Fully resolved Prometheus settings. */
export type ResolvedPrometheus = ResolvedExposition &
  ({ mode: 'listen'; host: string; port: number; path: string } | { mode: 'handler' });

/** Everything {@link startMetrics} needs, after options, environment and defaults are merged. */
export interface ResolvedConfig {
  /** `OTEL_SDK_DISABLED=true`: nothing is started and the handle's provider is a no-op. */
  disabled: boolean;
  serviceName: string;
  resourceAttributes: Record<string, AttributeValue>;
  /** Detectors whose attributes go under the configured ones, in merge order. */
  resourceDetectors: readonly ResourceDetectorName[];
  prometheus: ResolvedPrometheus | undefined;
  otlp: ResolvedOtlp | undefined;
  /** Console exporter period, when `OTEL_METRICS_EXPORTER` lists `console`. */
  consoleIntervalMs: number | undefined;
  inMemory: boolean;
  views: ValidView[];
  cardinalityLimit: number;
  registerGlobal: boolean;
  /** `OTEL_LOG_LEVEL`: a console diag logger at that level is installed. */
  logLevel: DiagLogLevel | undefined;
  /** Which measurements become exemplars; `always_off` when `exemplars: false`. */
  exemplarFilter: ExemplarFilter;
  /** Invalid environment values that fell back to their defaults, one line each. */
  warnings: string[];
}

const OPTION_KEYS = [
  'serviceName',
  'resourceAttributes',
  'resourceDetectors',
  'prometheus',
  'otlp',
  'inMemory',
  'views',
  'cardinalityLimit',
  'registerGlobal',
  'exemplars',
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
    throw new OpmeterConfigError(
      typeof serviceName === 'string'
        ? 'serviceName is empty: give your service a name or remove it'
        : `serviceName must be a string, got ${typeof serviceName}: give your service a name or remove it`,
    );
  }
  const resourceDetectors = resolveDetectors(options.resourceDetectors, fromEnv);
  const config: ResolvedConfig = {
    disabled: fromEnv.disabled,
    serviceName: serviceName ?? DEFAULT_SERVICE_NAME,
    resourceAttributes: {
      ...(resourceDetectors.includes('env') && fromEnv.resourceAttributes),
      ...options.resourceAttributes,
    },
    resourceDetectors,
    prometheus: resolvePrometheus(
      options.prometheus ?? (fromEnv.exporters?.includes('prometheus') ? true : undefined),
      fromEnv,
    ),
    otlp: resolveOtlp(options.otlp, fromEnv, otlpEnabled(options.otlp, fromEnv)),
    consoleIntervalMs: fromEnv.exporters?.includes('console')
      ? (fromEnv.exportIntervalMs ?? DEFAULT_CONSOLE_INTERVAL_MS)
      : undefined,
    inMemory: options.inMemory === true,
    views: validateViews(options.views),
    cardinalityLimit:
      options.cardinalityLimit === undefined
        ? DEFAULT_CARDINALITY_LIMIT
        : checkInteger(options.cardinalityLimit, 1, Number.MAX_SAFE_INTEGER, 'cardinalityLimit'),
    registerGlobal: options.registerGlobal ?? true,
    logLevel: fromEnv.logLevel,
    exemplarFilter:
      options.exemplars === false ? 'always_off' : (fromEnv.exemplarFilter ?? 'trace_based'),
    warnings: fromEnv.warnings,
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
    checkKeys(given, ['mode', ...EXPOSITION_OPTION_KEYS], 'prometheus (handler mode)');
    return { mode: 'handler', ...resolveExposition(given) };
  }
  if (given.mode !== undefined && given.mode !== 'listen') {
    throw new OpmeterConfigError("prometheus.mode must be 'listen' or 'handler'");
  }
  checkKeys(given, ['mode', 'host', 'port', 'path', ...EXPOSITION_OPTION_KEYS], 'prometheus');
  const host = given.host ?? env.prometheusHost ?? DEFAULT_PROMETHEUS.host;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new OpmeterConfigError(
      `prometheus.host ${typeof host === 'string' ? 'is empty' : `must be a string, got ${typeof host}`}: ` +
        'use e.g. 127.0.0.1 or 0.0.0.0',
    );
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
  return { mode: 'listen', host, port, path, ...resolveExposition(given) };
}

/**
 * OTLP is on when the code says so; else when `OTEL_METRICS_EXPORTER` lists `otlp`; else (the
 * variable unset) when an OTLP endpoint variable is set.
 */
function otlpEnabled(option: StartMetricsOptions['otlp'], env: MetricsEnv): boolean {
  if (option !== undefined) return option !== false;
  if (env.exporters !== undefined) return env.exporters.includes('otlp');
  return env.otlpEndpoint !== undefined;
}

function resolveDetectors(
  option: StartMetricsOptions['resourceDetectors'],
  env: MetricsEnv,
): readonly ResourceDetectorName[] {
  if (option === undefined) return env.resourceDetectors ?? RESOURCE_DETECTORS;
  if (!Array.isArray(option)) {
    throw new OpmeterConfigError(
      `resourceDetectors must be an array of ${RESOURCE_DETECTORS.map((d) => `'${d}'`).join(', ')}`,
    );
  }
  for (const name of option) {
    if (!RESOURCE_DETECTORS.includes(name)) {
      throw new OpmeterConfigError(
        `resourceDetectors has an unknown detector ${JSON.stringify(name)}: ` +
          `use ${RESOURCE_DETECTORS.map((d) => `'${d}'`).join(', ')}`,
      );
    }
  }
  return RESOURCE_DETECTORS.filter((name) => option.includes(name));
}
