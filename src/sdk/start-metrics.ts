import { createNoopMeter, DiagConsoleLogger, diag } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  type IMetricReader,
  MeterProvider,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OpmeterConfigError } from '../core/config-error.js';
import { EXEMPLARS } from '../core/exemplars/default-reservoir.js';
import { emitProcessWarning } from '../core/warning.js';
import { resolveConfig } from './config.js';
import { createConsoleReader } from './console-reader.js';
import { withDeadline } from './deadline.js';
import { registerGlobalProvider, unregisterGlobalProvider } from './global-provider.js';
import { InMemoryMetricReader } from './memory-reader.js';
import type {
  DeadlineOptions,
  MetricsHandle,
  PrometheusEndpoint,
  StartMetricsOptions,
} from './options.js';
import { createOtlpReader } from './otlp/reader.js';
import { createPrometheusEndpoint, PROMETHEUS_METER_NAME } from './prometheus/endpoint.js';
import type { ExemplarSource } from './prometheus/exposition/exemplars.js';
import { listenForScrapes, type ScrapeServer } from './prometheus/server.js';
import { redactedUrl } from './redact-url.js';
import { buildResource } from './resource.js';
import { toViewOptions } from './views/build.js';

/** The process's exemplar reservoir as the Prometheus endpoint reads it. */
const EXEMPLAR_SOURCE: ExemplarSource = {
  exemplar: (metric, attributes, bucket, boundaries) =>
    EXEMPLARS.exemplar(metric.name, attributes, bucket, boundaries),
};

/** Default deadline of `forceFlush()` and `shutdown()`. */
export const DEFAULT_DEADLINE_MS = 5000;

/**
 * Starts opmeter's MeterProvider with its resource, views and the readers asked for. Async because
 * the Prometheus port is bound before it resolves: a port in use rejects with an
 * {@link OpmeterConfigError} instead of crashing later.
 * @throws OpmeterConfigError (as a rejection) for invalid options, environment or listen address.
 * @example
 * const telemetry = await startMetrics({ serviceName: 'orders', prometheus: true });
 * process.on('SIGTERM', () => telemetry.shutdown({ deadlineMs: 3000 }));
 */
export async function startMetrics(options: StartMetricsOptions = {}): Promise<MetricsHandle> {
  const config = resolveConfig(options, options.env ?? process.env);
  if (config.logLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), config.logLevel);
  for (const warning of config.warnings) emitProcessWarning(`opmeter: ${warning}`);
  if (config.disabled) return disabledHandle(options);
  const prometheusReader = config.prometheus && new InMemoryMetricReader(config.cardinalityLimit);
  const otlp = config.otlp && (await createOtlpReader(config.otlp, config.cardinalityLimit));
  const consoleReader =
    config.consoleIntervalMs === undefined
      ? undefined
      : createConsoleReader(config.consoleIntervalMs, config.cardinalityLimit);
  const memoryReader = config.inMemory
    ? new InMemoryMetricReader(config.cardinalityLimit)
    : undefined;
  const readers: IMetricReader[] = [
    prometheusReader,
    otlp?.reader,
    consoleReader,
    memoryReader,
  ].filter((reader) => reader !== undefined);
  const resource = await buildResource(config);
  const meterProvider = new MeterProvider({
    resource,
    readers,
    views: toViewOptions(config.views, config.cardinalityLimit),
  });

  let registered: boolean;
  try {
    registered = registerGlobalProvider(meterProvider, config.registerGlobal);
  } catch (error) {
    void meterProvider.shutdown();
    throw error;
  }
  EXEMPLARS.filter = config.exemplarFilter;
  let prometheus: PrometheusEndpoint | undefined;
  let stopPrometheus: (() => void) | undefined;
  let server: ScrapeServer | undefined;
  if (prometheusReader && config.prometheus) {
    const { requestHandler, scrape, stop } = createPrometheusEndpoint(
      prometheusReader,
      meterProvider.getMeter(PROMETHEUS_METER_NAME),
      { ...config.prometheus, exemplars: EXEMPLAR_SOURCE },
    );
    if (config.prometheus.mode === 'listen') {
      const { host, port, path } = config.prometheus;
      server = await listenForScrapes(host, port, path, requestHandler).catch(async (error) => {
        if (registered) unregisterGlobalProvider(meterProvider);
        await meterProvider.shutdown().catch(() => undefined);
        throw error;
      });
    }
    prometheus = { url: server?.url, requestHandler, scrape };
    stopPrometheus = stop;
  }

  let shutdown: Promise<void> | undefined;
  return {
    meterProvider,
    resource,
    ...(prometheus && { prometheus }),
    ...(config.otlp && {
      otlp: {
        url: redactedUrl(config.otlp.url),
        protocol: config.otlp.protocol,
        exportIntervalMs: config.otlp.exportIntervalMs,
      },
    }),
    ...(options.stats && { stats: options.stats }),
    ...(options.rows && { rows: options.rows }),
    ...(memoryReader && { collect: () => snapshot(memoryReader) }),
    forceFlush: ({ deadlineMs = DEFAULT_DEADLINE_MS }: DeadlineOptions = {}) =>
      withDeadline(
        meterProvider.forceFlush({ timeoutMillis: deadlineMs }),
        deadlineMs,
        'opmeter forceFlush',
      ),
    shutdown: ({ deadlineMs = DEFAULT_DEADLINE_MS }: DeadlineOptions = {}) => {
      shutdown ??= (async () => {
        if (registered) unregisterGlobalProvider(meterProvider);
        stopPrometheus?.();
        const work = Promise.allSettled([
          meterProvider.shutdown({ timeoutMillis: deadlineMs }),
          server?.close(),
        ]).then(([flushed]) => {
          if (flushed.status === 'rejected') throw flushed.reason;
        });
        // Whatever happened by the deadline, nothing of the exporter may keep the process alive.
        await withDeadline(work, deadlineMs, 'opmeter shutdown').finally(() =>
          otlp?.exporter.destroy(),
        );
      })();
      return shutdown;
    },
  };
}

/**
 * The handle under `OTEL_SDK_DISABLED=true`: a no-op provider, no readers, no server, nothing
 * registered globally; session statistics and row sinks are still handed on.
 */
function disabledHandle(options: StartMetricsOptions): MetricsHandle {
  const noop = createNoopMeter();
  return {
    meterProvider: { getMeter: () => noop },
    resource: emptyResource(),
    ...(options.stats && { stats: options.stats }),
    ...(options.rows && { rows: options.rows }),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

async function snapshot(reader: InMemoryMetricReader): Promise<ResourceMetrics> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}
