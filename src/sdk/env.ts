import { OpmeterConfigError } from './errors.js';

/** The environment as opmeter reads it: `process.env` or any object with the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;

/** OTLP aggregation temporality preference, as in `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. */
export type Temporality = 'cumulative' | 'delta' | 'lowmemory';

/** Histogram aggregation for OTLP, as in `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`. */
export type HistogramKind = 'explicit' | 'exponential';

/** The standard OTel variables opmeter honours, parsed and validated. Unset variables are absent. */
export interface MetricsEnv {
  serviceName?: string;
  resourceAttributes: Record<string, string>;
  prometheusHost?: string;
  prometheusPort?: number;
  /** Full metrics URL: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`. */
  otlpEndpoint?: string;
  otlpHeaders?: Record<string, string>;
  otlpTemporality?: Temporality;
  otlpHistogram?: HistogramKind;
  exportIntervalMs?: number;
  exportTimeoutMs?: number;
}

const TEMPORALITIES: readonly Temporality[] = ['cumulative', 'delta', 'lowmemory'];
const HISTOGRAM_AGGREGATIONS: Readonly<Record<string, HistogramKind>> = {
  explicit_bucket_histogram: 'explicit',
  base2_exponential_bucket_histogram: 'exponential',
};

/**
 * Reads the standard OTel metrics variables from `env`. Empty values count as unset.
 * @throws OpmeterConfigError naming the variable, its bad value and an example of a good one.
 */
export function parseMetricsEnv(env: Env): MetricsEnv {
  const out: MetricsEnv = {
    resourceAttributes: parsePairs(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? {},
  };
  const serviceName = read(env, 'OTEL_SERVICE_NAME');
  if (serviceName !== undefined) out.serviceName = serviceName;
  const host = read(env, 'OTEL_EXPORTER_PROMETHEUS_HOST');
  if (host !== undefined) out.prometheusHost = host;
  const port = parseInteger(env, 'OTEL_EXPORTER_PROMETHEUS_PORT', 0, 65535, '9464');
  if (port !== undefined) out.prometheusPort = port;
  const endpoint = parseEndpoint(env);
  if (endpoint !== undefined) out.otlpEndpoint = endpoint;
  const headers = parsePairs(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  if (headers !== undefined) out.otlpHeaders = headers;
  const temporality = parseTemporality(env);
  if (temporality !== undefined) out.otlpTemporality = temporality;
  const histogram = parseHistogram(env);
  if (histogram !== undefined) out.otlpHistogram = histogram;
  const interval = parseInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', 1, 2 ** 31 - 1, '60000');
  if (interval !== undefined) out.exportIntervalMs = interval;
  const timeout = parseInteger(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 1, 2 ** 31 - 1, '30000');
  if (timeout !== undefined) out.exportTimeoutMs = timeout;
  return out;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parseInteger(
  env: Env,
  name: string,
  min: number,
  max: number,
  example: string,
): number | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new OpmeterConfigError(
      `${name}=${JSON.stringify(raw)} is not a whole number between ${min} and ${max}: ` +
        `set it to e.g. ${example}, or unset it to use the default`,
    );
  }
  return value;
}

function parseEndpoint(env: Env): string | undefined {
  const specific = read(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (specific !== undefined) return parseUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', specific);
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return undefined;
  const url = parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return `${url.endsWith('/') ? url : `${url}/`}v1/metrics`;
}

function parseUrl(name: string, raw: string): string {
  if (URL.canParse(raw)) {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  }
  throw new OpmeterConfigError(
    `${name}=${JSON.stringify(raw)} is not an http(s) URL: set it to e.g. http://localhost:4318`,
  );
}

function parseTemporality(env: Env): Temporality | undefined {
  const name = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const value = TEMPORALITIES.find((t) => t === raw.toLowerCase());
  if (value === undefined) {
    throw new OpmeterConfigError(
      `${name}=${JSON.stringify(raw)} is not one of ${TEMPORALITIES.join(', ')}: pick one or unset it`,
    );
  }
  return value;
}

function parseHistogram(env: Env): HistogramKind | undefined {
  const name = 'OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION';
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const value = HISTOGRAM_AGGREGATIONS[raw.toLowerCase()];
  if (value === undefined) {
    throw new OpmeterConfigError(
      `${name}=${JSON.stringify(raw)} is not one of ` +
        `${Object.keys(HISTOGRAM_AGGREGATIONS).join(', ')}: pick one or unset it`,
    );
  }
  return value;
}

/** Parses `key=value,key2=value2` with percent-encoded values (W3C Baggage style). */
function parsePairs(env: Env, name: string): Record<string, string> | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const item of raw.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (key === '') {
      throw new OpmeterConfigError(
        `${name}: ${JSON.stringify(item.trim())} is not a key=value pair: ` +
          'write comma-separated pairs such as key1=value1,key2=value2',
      );
    }
    out[key] = decode(name, key, item.slice(eq + 1).trim());
  }
  return out;
}

function decode(name: string, key: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new OpmeterConfigError(
      `${name}: the value of ${key} is not valid percent-encoding: encode special characters ` +
        '(e.g. a space as %20, a comma as %2C)',
    );
  }
}
