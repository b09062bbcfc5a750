import { DiagLogLevel } from '@opentelemetry/api';
import { MAX_TIMER_MS } from '../core/config-validation.js';
import type { ExemplarFilter } from '../core/exemplars/reservoir.js';
import { type Env, EnvReader } from './env-reader.js';
import { headerProblem, isHeaderName } from './otlp/header-check.js';
import { DEFAULT_OTLP_ENDPOINT } from './otlp/resolve.js';

export type { Env } from './env-reader.js';

/** OTLP aggregation temporality preference, as in `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. */
export type Temporality = 'cumulative' | 'delta' | 'lowmemory';

/** Histogram aggregation for OTLP, as in `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`. */
export type HistogramKind = 'explicit' | 'exponential';

/** OTLP transport encoding, as in `OTEL_EXPORTER_OTLP_PROTOCOL`. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** OTLP request body compression, as in `OTEL_EXPORTER_OTLP_COMPRESSION`. */
export type OtlpCompression = 'gzip' | 'none';

/** A metrics exporter named in `OTEL_METRICS_EXPORTER`. */
export type MetricsExporterName = 'otlp' | 'prometheus' | 'console';

/** A resource detector named in `OTEL_NODE_RESOURCE_DETECTORS`. */
export type ResourceDetectorName = 'env' | 'host' | 'os' | 'process' | 'serviceinstance';

/** Every resource detector, in the order they are merged (later wins). */
export const RESOURCE_DETECTORS: readonly ResourceDetectorName[] = [
  'host',
  'os',
  'process',
  'serviceinstance',
  'env',
];

export type { ExemplarFilter } from '../core/exemplars/reservoir.js';

/** Paths of PEM files for OTLP over TLS, from `OTEL_EXPORTER_OTLP_(METRICS_)CERTIFICATE` etc. */
export interface OtlpTlsFiles {
  certificate?: string;
  clientKey?: string;
  clientCertificate?: string;
}

/**
 * The standard OTel variables opmeter honours, parsed. Unset (or invalid) variables are absent;
 * each invalid one left a line in `warnings`.
 */
export interface MetricsEnv {
  /** `OTEL_SDK_DISABLED=true`: no readers, no server, a no-op provider. */
  disabled: boolean;
  logLevel?: DiagLogLevel;
  serviceName?: string;
  resourceAttributes: Record<string, string>;
  resourceDetectors?: ResourceDetectorName[];
  /** `OTEL_METRICS_EXPORTER`; `none` reads as an empty list. */
  exporters?: MetricsExporterName[];
  prometheusHost?: string;
  prometheusPort?: number;
  /** Full metrics URL: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`. */
  otlpEndpoint?: string;
  otlpProtocol?: OtlpProtocol;
  /** `OTEL_EXPORTER_OTLP_HEADERS` overlaid with `OTEL_EXPORTER_OTLP_METRICS_HEADERS`, key by key. */
  otlpHeaders?: Record<string, string>;
  otlpCompression?: OtlpCompression;
  otlpTimeoutMs?: number;
  otlpTls: OtlpTlsFiles;
  otlpTemporality?: Temporality;
  otlpHistogram?: HistogramKind;
  exportIntervalMs?: number;
  exportTimeoutMs?: number;
  exemplarFilter?: ExemplarFilter;
  /** One line per invalid value, naming the variable and the default used instead. */
  warnings: string[];
}

const TEMPORALITIES: Readonly<Record<string, Temporality>> = {
  cumulative: 'cumulative',
  delta: 'delta',
  lowmemory: 'lowmemory',
};
const HISTOGRAM_AGGREGATIONS: Readonly<Record<string, HistogramKind>> = {
  explicit_bucket_histogram: 'explicit',
  base2_exponential_bucket_histogram: 'exponential',
};
const PROTOCOLS: Readonly<Record<string, OtlpProtocol>> = {
  'http/protobuf': 'http/protobuf',
  'http/json': 'http/json',
};
/** What the warning says of a protocol the specification lists and opmeter does not send. */
const PROTOCOL_NOTES: Readonly<Record<string, string>> = {
  grpc: 'opmeter sends OTLP over HTTP only; use http/protobuf against the collector port 4318',
};
const COMPRESSIONS: Readonly<Record<string, OtlpCompression>> = { gzip: 'gzip', none: 'none' };
const EXPORTERS: Readonly<Record<string, MetricsExporterName | 'none'>> = {
  otlp: 'otlp',
  prometheus: 'prometheus',
  console: 'console',
  none: 'none',
};
const DETECTORS: Readonly<Record<string, ResourceDetectorName | 'all' | 'none'>> = {
  env: 'env',
  host: 'host',
  os: 'os',
  process: 'process',
  serviceinstance: 'serviceinstance',
  all: 'all',
  none: 'none',
};
const EXEMPLAR_FILTERS: Readonly<Record<string, ExemplarFilter>> = {
  always_on: 'always_on',
  always_off: 'always_off',
  trace_based: 'trace_based',
};
const LOG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Reads the standard OTel SDK variables that apply to metrics from `env`. Never throws: an invalid
 * value is reported in `warnings` and the documented default applies.
 * @example parseMetricsEnv(process.env).otlpProtocol // 'http/protobuf' when unset
 */
export function parseMetricsEnv(env: Env): MetricsEnv {
  const read = new EnvReader(env);
  const out: MetricsEnv = {
    disabled: read.boolean('OTEL_SDK_DISABLED') ?? false,
    resourceAttributes: read.pairs('OTEL_RESOURCE_ATTRIBUTES') ?? {},
    otlpTls: readTlsFiles(read),
    warnings: read.warnings,
  };
  assign(out, 'logLevel', read.choice('OTEL_LOG_LEVEL', LOG_LEVELS));
  assign(out, 'serviceName', read.string('OTEL_SERVICE_NAME'));
  assign(out, 'resourceDetectors', readDetectors(read));
  assign(out, 'exporters', readExporters(read));
  assign(out, 'prometheusHost', read.host('OTEL_EXPORTER_PROMETHEUS_HOST'));
  assign(out, 'prometheusPort', read.integer('OTEL_EXPORTER_PROMETHEUS_PORT', 0, 65535, '9464'));
  assign(out, 'otlpEndpoint', readEndpoint(read));
  assign(out, 'otlpProtocol', readSignalChoice(read, 'PROTOCOL', PROTOCOLS, PROTOCOL_NOTES));
  assign(out, 'otlpHeaders', readHeaders(read));
  assign(out, 'otlpCompression', readSignalChoice(read, 'COMPRESSION', COMPRESSIONS));
  assign(out, 'otlpTimeoutMs', readSignalInteger(read, 'TIMEOUT', '10000'));
  assign(
    out,
    'otlpTemporality',
    read.choice('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', TEMPORALITIES),
  );
  assign(
    out,
    'otlpHistogram',
    read.choice('OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', HISTOGRAM_AGGREGATIONS),
  );
  assign(
    out,
    'exportIntervalMs',
    read.integer('OTEL_METRIC_EXPORT_INTERVAL', 1, MAX_TIMER_MS, '60000'),
  );
  assign(
    out,
    'exportTimeoutMs',
    read.integer('OTEL_METRIC_EXPORT_TIMEOUT', 1, MAX_TIMER_MS, '30000'),
  );
  assign(out, 'exemplarFilter', read.choice('OTEL_METRICS_EXEMPLAR_FILTER', EXEMPLAR_FILTERS));
  return out;
}

/** Sets `out[key]` only when `value` is defined (optional properties stay absent, not undefined). */
function assign<K extends keyof MetricsEnv>(
  out: MetricsEnv,
  key: K,
  value: MetricsEnv[K] | undefined,
): void {
  if (value !== undefined) out[key] = value;
}

/** `OTEL_EXPORTER_OTLP_METRICS_<suffix>`, else `OTEL_EXPORTER_OTLP_<suffix>`. */
function signalNames(suffix: string): string[] {
  return [`OTEL_EXPORTER_OTLP_METRICS_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`];
}

function readSignalChoice<T>(
  read: EnvReader,
  suffix: string,
  choices: Readonly<Record<string, T>>,
  notes?: Readonly<Record<string, string>>,
): T | undefined {
  const found = read.first(signalNames(suffix));
  return found && read.pick(found.name, found.raw, choices, notes);
}

function readSignalInteger(read: EnvReader, suffix: string, example: string): number | undefined {
  const found = read.first(signalNames(suffix));
  return found && read.integer(found.name, 1, MAX_TIMER_MS, example);
}

/** What a bad endpoint variable leads to, for its warning. */
const ENDPOINT_IGNORED =
  'it is ignored, so it does not turn OTLP on (when OTLP is on otherwise, pushes go to the ' +
  `other endpoint variable or to ${DEFAULT_OTLP_ENDPOINT})`;

function readEndpoint(read: EnvReader): string | undefined {
  const specific = read.string('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (specific !== undefined) {
    const url = read.url('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', specific, ENDPOINT_IGNORED);
    if (url !== undefined) return url;
  }
  const base = read.string('OTEL_EXPORTER_OTLP_ENDPOINT');
  const url =
    base === undefined
      ? undefined
      : read.url('OTEL_EXPORTER_OTLP_ENDPOINT', base, ENDPOINT_IGNORED);
  return url === undefined ? undefined : `${url.endsWith('/') ? url : `${url}/`}v1/metrics`;
}

function readHeaders(read: EnvReader): Record<string, string> | undefined {
  const general = validHeaders(read, 'OTEL_EXPORTER_OTLP_HEADERS');
  const specific = validHeaders(read, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS');
  return general === undefined && specific === undefined ? undefined : { ...general, ...specific };
}

/** The pairs of `name` usable as HTTP headers; each other one is left out with a warning (its value unprinted). */
function validHeaders(read: EnvReader, name: string): Record<string, string> | undefined {
  const pairs = read.pairs(name);
  if (pairs === undefined) return undefined;
  for (const [index, [key, value]] of Object.entries(pairs).entries()) {
    const problem = headerProblem(key, value);
    if (problem === undefined) continue;
    const header = isHeaderName(key) ? `header ${JSON.stringify(key)}` : `header #${index + 1}`;
    read.warnings.push(`${name} ${header} is left out: ${problem}; fix or remove that pair`);
    delete pairs[key];
  }
  return pairs;
}

function readTlsFiles(read: EnvReader): OtlpTlsFiles {
  const files: OtlpTlsFiles = {};
  const entries = [
    ['certificate', 'CERTIFICATE'],
    ['clientKey', 'CLIENT_KEY'],
    ['clientCertificate', 'CLIENT_CERTIFICATE'],
  ] as const;
  for (const [key, suffix] of entries) {
    const found = read.first(signalNames(suffix));
    if (found !== undefined) files[key] = found.raw;
  }
  return files;
}

function readExporters(read: EnvReader): MetricsExporterName[] | undefined {
  const names = read.list('OTEL_METRICS_EXPORTER', EXPORTERS);
  if (names === undefined) return undefined;
  if (names.includes('none')) {
    if (names.length > 1) {
      read.warnings.push(
        "OTEL_METRICS_EXPORTER lists 'none' with other exporters: none is started; " +
          "list only the exporters you want, or 'none' alone",
      );
    }
    return [];
  }
  return names.filter((name) => name !== 'none');
}

function readDetectors(read: EnvReader): ResourceDetectorName[] | undefined {
  const names = read.list('OTEL_NODE_RESOURCE_DETECTORS', DETECTORS);
  if (names === undefined) return undefined;
  if (names.includes('none')) return [];
  if (names.includes('all')) return [...RESOURCE_DETECTORS];
  return RESOURCE_DETECTORS.filter((name) => names.includes(name));
}
