import { readFileSync } from 'node:fs';
import { OpmeterConfigError } from '../../core/config-error.js';
import { checkInteger, checkKeys, isRecord, MAX_TIMER_MS } from '../../core/config-validation.js';
import type {
  HistogramKind,
  MetricsEnv,
  OtlpCompression,
  OtlpProtocol,
  OtlpTlsFiles,
  Temporality,
} from '../env.js';
import type { OtlpHistogramOptions, OtlpOptions } from '../options.js';
import { redactedUrl } from '../redact-url.js';
import { headerProblem } from './header-check.js';

/** Default OTLP/HTTP metrics URL. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318/v1/metrics';
/** Default OTLP encoding: the spec's default, `http/protobuf`. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const COMPRESSIONS: readonly OtlpCompression[] = ['gzip', 'none'];
const TEMPORALITIES: readonly Temporality[] = ['cumulative', 'delta', 'lowmemory'];
const OPTION_KEYS = [
  'endpoint',
  'protocol',
  'headers',
  'compression',
  'requestTimeoutMs',
  'exportIntervalMs',
  'exportTimeoutMs',
  'temporality',
  'histogram',
  'certificate',
  'clientKey',
  'clientCertificate',
];

/** PEM contents for OTLP over TLS (read from the files named in options or the environment). */
export interface OtlpTls {
  ca?: string;
  key?: string;
  cert?: string;
}

/** Fully resolved OTLP settings. */
export interface ResolvedOtlp {
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  compression: OtlpCompression;
  /** Longest wait for one HTTP request (`OTEL_EXPORTER_OTLP_TIMEOUT`), at most `exportTimeoutMs`. */
  requestTimeoutMs: number;
  exportIntervalMs: number;
  exportTimeoutMs: number;
  temporality: Temporality;
  histogram: OtlpHistogramOptions;
  tls: OtlpTls;
}

/**
 * Merges OTLP options (first), the environment (second) and the OTel defaults. `enabled` says
 * whether OTLP is on at all (from `otlp`, `OTEL_METRICS_EXPORTER` or an endpoint variable).
 * @throws OpmeterConfigError for invalid code options; invalid variables were already reported as
 * warnings by {@link parseMetricsEnv} and fall back to the defaults here.
 */
export function resolveOtlp(
  option: boolean | OtlpOptions | undefined,
  env: MetricsEnv,
  enabled: boolean,
): ResolvedOtlp | undefined {
  if (!enabled || option === false) return undefined;
  const given = option === undefined || option === true ? {} : option;
  if (!isRecord(given as unknown)) {
    throw new OpmeterConfigError('otlp must be true, false or an object');
  }
  checkKeys(given, OPTION_KEYS, 'otlp');
  const url = given.endpoint ?? env.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT;
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new OpmeterConfigError(
      `otlp.endpoint ${JSON.stringify(typeof url === 'string' ? redactedUrl(url) : url)} is not an http(s) URL: e.g. http://localhost:4318/v1/metrics`,
    );
  }
  const exportIntervalMs = checkInteger(
    given.exportIntervalMs ?? env.exportIntervalMs ?? DEFAULT_INTERVAL_MS,
    1,
    MAX_TIMER_MS,
    'otlp.exportIntervalMs',
  );
  const exportTimeoutMs = resolveExportTimeout(given, env, exportIntervalMs);
  const requestTimeoutMs = Math.min(
    checkInteger(
      given.requestTimeoutMs ?? env.otlpTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
      'otlp.requestTimeoutMs',
    ),
    exportTimeoutMs,
  );
  return {
    url,
    protocol:
      oneOf(given.protocol ?? env.otlpProtocol, PROTOCOLS, 'otlp.protocol') ??
      DEFAULT_OTLP_PROTOCOL,
    headers: resolveHeaders(given.headers, env.otlpHeaders),
    compression:
      oneOf(given.compression ?? env.otlpCompression, COMPRESSIONS, 'otlp.compression') ?? 'none',
    requestTimeoutMs,
    exportIntervalMs,
    exportTimeoutMs,
    temporality:
      oneOf(given.temporality ?? env.otlpTemporality, TEMPORALITIES, 'otlp.temporality') ??
      'cumulative',
    histogram: resolveHistogram(given.histogram, env.otlpHistogram),
    tls: resolveTls(given, env),
  };
}

function resolveExportTimeout(given: OtlpOptions, env: MetricsEnv, interval: number): number {
  if (given.exportTimeoutMs === undefined && env.exportTimeoutMs !== undefined) {
    if (env.exportTimeoutMs <= interval) return env.exportTimeoutMs;
    env.warnings.push(
      `OTEL_METRIC_EXPORT_TIMEOUT=${env.exportTimeoutMs} exceeds the export interval (${interval} ms): ` +
        'a push must end before the next one starts; using the interval as the timeout',
    );
    return interval;
  }
  const timeout = checkInteger(
    given.exportTimeoutMs ?? Math.min(DEFAULT_EXPORT_TIMEOUT_MS, interval),
    1,
    MAX_TIMER_MS,
    'otlp.exportTimeoutMs',
  );
  if (timeout > interval) {
    throw new OpmeterConfigError(
      `otlp.exportTimeoutMs (${timeout}) exceeds otlp.exportIntervalMs (${interval}): a push must ` +
        'end before the next one starts; lower the timeout or raise the interval',
    );
  }
  return timeout;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) {
    throw new OpmeterConfigError(
      `${at} is ${JSON.stringify(value)}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  return found;
}

function resolveHeaders(
  option: Record<string, string> | undefined,
  fromEnv: Record<string, string> | undefined,
): Record<string, string> {
  if (option !== undefined && !isRecord(option as unknown)) {
    throw new OpmeterConfigError('otlp.headers must be an object of header names to string values');
  }
  const headers = { ...fromEnv, ...option };
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') {
      throw new OpmeterConfigError(`otlp.headers.${name} must be a string, got ${typeof value}`);
    }
    const problem = headerProblem(name, value);
    if (problem !== undefined) {
      throw new OpmeterConfigError(
        `otlp.headers[${JSON.stringify(name)}] cannot be sent: ${problem}; fix or remove it`,
      );
    }
  }
  return headers;
}

function resolveHistogram(
  option: OtlpHistogramOptions | undefined,
  fromEnv: HistogramKind | undefined,
): OtlpHistogramOptions {
  if (option === undefined) return { kind: fromEnv ?? 'explicit' };
  if (option.kind === 'explicit') {
    checkKeys(option, ['kind'], 'otlp.histogram');
    return option;
  }
  if (option.kind !== 'exponential') {
    throw new OpmeterConfigError("otlp.histogram.kind must be 'explicit' or 'exponential'");
  }
  checkKeys(option, ['kind', 'maxSize'], 'otlp.histogram');
  if (option.maxSize !== undefined) {
    checkInteger(option.maxSize, 2, 16384, 'otlp.histogram.maxSize');
  }
  return option;
}

/** Reads the PEM files: an unreadable file from options throws, one from the environment warns. */
function resolveTls(given: OtlpOptions, env: MetricsEnv): OtlpTls {
  const tls: OtlpTls = {};
  const files: readonly [keyof OtlpTlsFiles, keyof OtlpTls, string][] = [
    ['certificate', 'ca', 'CERTIFICATE'],
    ['clientKey', 'key', 'CLIENT_KEY'],
    ['clientCertificate', 'cert', 'CLIENT_CERTIFICATE'],
  ];
  for (const [option, field, suffix] of files) {
    const fromOption = given[option];
    const path = fromOption ?? env.otlpTls[option];
    if (path === undefined) continue;
    try {
      tls[field] = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      const message =
        `cannot read the OTLP TLS file ${JSON.stringify(path)} (${reason}) given by ` +
        `${fromOption === undefined ? `OTEL_EXPORTER_OTLP_(METRICS_)${suffix}` : `otlp.${option}`}: ` +
        'point it at a readable PEM file';
      if (fromOption !== undefined) throw new OpmeterConfigError(message);
      env.warnings.push(`${message}; continuing without it`);
    }
  }
  return tls;
}
