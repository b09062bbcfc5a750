import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttributeValue, MeterProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { InstrumentationOptions } from '../core/instrumentation-options.js';
import type {
  Env,
  OtlpCompression,
  OtlpProtocol,
  ResourceDetectorName,
  Temporality,
} from './env.js';
import type { ScrapeOptions } from './prometheus/endpoint.js';
import type { PrometheusExpositionOptions } from './prometheus/settings.js';
import type { ViewConfig } from './views/types.js';

/**
 * How the Prometheus endpoint is served.
 * @example <caption>own port (default 127.0.0.1:9464/metrics)</caption>
 * { mode: 'listen', host: '0.0.0.0', port: 9464, path: '/metrics' }
 * @example <caption>no second port: mount `handle.prometheus.requestHandler` on your server</caption>
 * { mode: 'handler' }
 * @example <caption>either mode: no scope labels, a 5 s timeout, at most 2 scrapes at once</caption>
 * { mode: 'handler', scopeLabels: false, timeoutMs: 5000, maxInFlight: 2 }
 */
export type PrometheusOptions = PrometheusExpositionOptions &
  (
    | {
        mode?: 'listen';
        /** Interface to bind. Default `OTEL_EXPORTER_PROMETHEUS_HOST`, else `127.0.0.1`. */
        host?: string;
        /** Port (0 = any free port). Default `OTEL_EXPORTER_PROMETHEUS_PORT`, else 9464. */
        port?: number;
        /** Scrape path. Default `/metrics`. */
        path?: string;
      }
    | { mode: 'handler' }
  );

/**
 * Histogram aggregation for OTLP export of instruments that no view selects.
 * @example { kind: 'exponential', maxSize: 160 }
 */
export type OtlpHistogramOptions = { kind: 'explicit' } | { kind: 'exponential'; maxSize?: number };

/**
 * OTLP/HTTP push. Every field defaults to the standard `OTEL_*` variable (the metrics-specific
 * `OTEL_EXPORTER_OTLP_METRICS_*` first), then to the OTel default.
 * @example { endpoint: 'http://collector:4318/v1/metrics', compression: 'gzip', exportIntervalMs: 10_000 }
 */
export interface OtlpOptions {
  /** Full metrics URL. Default `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`, else `http://localhost:4318/v1/metrics`. */
  endpoint?: string;
  /** Body encoding. Default `OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL`, else `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Request headers (e.g. authorization), over `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_METRICS_HEADERS`. */
  headers?: Record<string, string>;
  /** Body compression. Default `OTEL_EXPORTER_OTLP_(METRICS_)COMPRESSION`, else `none`. */
  compression?: OtlpCompression;
  /** Longest wait for one request. Default `OTEL_EXPORTER_OTLP_(METRICS_)TIMEOUT`, else 10000 (at most `exportTimeoutMs`). */
  requestTimeoutMs?: number;
  /** Push period. Default `OTEL_METRIC_EXPORT_INTERVAL`, else 60000. */
  exportIntervalMs?: number;
  /** Longest time one push may take, retries included. Default `OTEL_METRIC_EXPORT_TIMEOUT`, else 30000 (at most the interval). */
  exportTimeoutMs?: number;
  /** Default `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, else `cumulative`. */
  temporality?: Temporality;
  /** Default `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, else explicit buckets. */
  histogram?: OtlpHistogramOptions;
  /** PEM file of the CA that signed the collector's certificate. Default `OTEL_EXPORTER_OTLP_(METRICS_)CERTIFICATE`. */
  certificate?: string;
  /** PEM file of the client's private key (mTLS). Default `OTEL_EXPORTER_OTLP_(METRICS_)CLIENT_KEY`. */
  clientKey?: string;
  /** PEM file of the client's certificate (mTLS). Default `OTEL_EXPORTER_OTLP_(METRICS_)CLIENT_CERTIFICATE`. */
  clientCertificate?: string;
}

/** Options of {@link startMetrics}. Every reader is off unless asked for (OTLP also by its env). */
export interface StartMetricsOptions {
  /** `service.name`. Default `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else `unknown_service:node`. */
  serviceName?: string;
  /** Extra resource attributes; they win over `OTEL_RESOURCE_ATTRIBUTES` and the detectors. */
  resourceAttributes?: Record<string, AttributeValue>;
  /**
   * Resource detectors to run (`service.instance.id`, `host.*`, `os.*`, `process.*`; `env` reads
   * `OTEL_RESOURCE_ATTRIBUTES`). Default `OTEL_NODE_RESOURCE_DETECTORS`, else all of them.
   */
  resourceDetectors?: readonly ResourceDetectorName[];
  /** Serve a Prometheus scrape endpoint. `true` = `{ mode: 'listen' }`. Default: on when `OTEL_METRICS_EXPORTER` lists `prometheus`. */
  prometheus?: boolean | PrometheusOptions;
  /**
   * Push OTLP/HTTP. Default: on when `OTEL_METRICS_EXPORTER` lists `otlp`, or, that variable
   * unset, when `OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT` is set; `false` forces off.
   */
  otlp?: boolean | OtlpOptions;
  /** Keep an in-memory reader and expose `handle.collect()`. */
  inMemory?: boolean;
  /** Per-instrument views: boundaries, SLO edges, exponential, attribute filters, caps, drop. */
  views?: readonly ViewConfig[];
  /** Most series per instrument (attribute sets); the rest go to the overflow series. Default 2000. */
  cardinalityLimit?: number;
  /** Register the provider as the global `@opentelemetry/api` MeterProvider. Default true. */
  registerGlobal?: boolean;
  /**
   * Keep exemplars (trace and span ids of measurements made inside a sampled span) and serve them
   * on OpenMetrics scrapes. Default true, filtered as `OTEL_METRICS_EXEMPLAR_FILTER` says
   * (`trace_based`); `false` turns capture off.
   */
  exemplars?: boolean;
  /** Where `OTEL_*` variables are read. Default `process.env`. */
  env?: Env;
  /** Session statistics, handed on to the handle for instrumentations. */
  stats?: InstrumentationOptions['stats'];
  /** def_metric row sink, handed on to the handle for instrumentations. */
  rows?: InstrumentationOptions['rows'];
}

/** The Prometheus side of a {@link MetricsHandle}. */
export interface PrometheusEndpoint {
  /** Scrape URL of opmeter's own server; `undefined` in `handler` mode. */
  url: string | undefined;
  /**
   * `node:http`-compatible handler serving the scrape on whatever path it is mounted: OpenMetrics
   * or the text format by `Accept`, gzip by `Accept-Encoding`, concurrent scrapes sharing one
   * collection, with the timeout and in-flight cap of the options.
   */
  requestHandler: (request: IncomingMessage, response: ServerResponse) => void;
  /** One scrape as text without HTTP, in the text format 0.0.4 unless `format` says otherwise. */
  scrape(options?: ScrapeOptions): Promise<string>;
}

/** Deadline for flushing and shutting down. */
export interface DeadlineOptions {
  /** Longest wait in milliseconds. Default 5000. */
  deadlineMs?: number;
}

/** What {@link startMetrics} returns; its properties match what instrumentations accept. */
export interface MetricsHandle {
  /** The provider instrumentations record into (a no-op one under `OTEL_SDK_DISABLED=true`). */
  readonly meterProvider: MeterProvider;
  readonly resource: Resource;
  readonly prometheus?: PrometheusEndpoint;
  /** Where OTLP pushes go, when OTLP is on (a password in the URL shown as `***`). */
  readonly otlp?: { url: string; protocol: OtlpProtocol; exportIntervalMs: number };
  readonly stats?: InstrumentationOptions['stats'];
  readonly rows?: InstrumentationOptions['rows'];
  /** Snapshot of the in-memory reader (cumulative); present when `inMemory` is on. */
  collect?(): Promise<ResourceMetrics>;
  /** Pushes pending OTLP data now; rejects if the deadline passes first. */
  forceFlush(options?: DeadlineOptions): Promise<void>;
  /**
   * Flushes every exporter, closes the scrape server and unregisters the global provider.
   * Settles within `deadlineMs` in every case: rejects if something could not finish in time.
   * Calling it again returns the first call's promise.
   */
  shutdown(options?: DeadlineOptions): Promise<void>;
}
