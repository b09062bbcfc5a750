import { metrics } from '@opentelemetry/api';
import {
  type IMetricReader,
  MeterProvider,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { type ResolvedConfig, resolveConfig } from './config.js';
import { withDeadline } from './deadline.js';
import { OpmeterConfigError } from './errors.js';
import { InMemoryMetricReader } from './memory-reader.js';
import type {
  DeadlineOptions,
  MetricsHandle,
  PrometheusEndpoint,
  StartMetricsOptions,
} from './options.js';
import { createOtlpReader } from './otlp-reader.js';
import { PrometheusPullReader } from './prometheus/reader.js';
import { createRequestHandler, createScraper } from './prometheus/scrape.js';
import { listenForScrapes, type ScrapeServer } from './prometheus/server.js';
import { buildResource } from './resource.js';
import { toViewOptions } from './views/build.js';

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
  const prometheusReader = config.prometheus && new PrometheusPullReader(config.cardinalityLimit);
  const otlpReader = config.otlp && createOtlpReader(config.otlp, config.cardinalityLimit);
  const memoryReader = config.inMemory
    ? new InMemoryMetricReader(config.cardinalityLimit)
    : undefined;
  const readers: IMetricReader[] = [prometheusReader, otlpReader, memoryReader].filter(
    (reader) => reader !== undefined,
  );
  const resource = buildResource(config);
  const meterProvider = new MeterProvider({
    resource,
    readers,
    views: toViewOptions(config.views, config.cardinalityLimit),
  });

  const registered = registerGlobal(config, meterProvider);
  let prometheus: PrometheusEndpoint | undefined;
  let server: ScrapeServer | undefined;
  if (prometheusReader && config.prometheus) {
    const scrape = createScraper(prometheusReader);
    const requestHandler = createRequestHandler(scrape);
    if (config.prometheus.mode === 'listen') {
      const { host, port, path } = config.prometheus;
      server = await listenForScrapes(host, port, path, requestHandler).catch(async (error) => {
        if (registered) metrics.disable();
        await meterProvider.shutdown().catch(() => undefined);
        throw error;
      });
    }
    prometheus = { url: server?.url, requestHandler, scrape };
  }

  let shutdown: Promise<void> | undefined;
  return {
    meterProvider,
    resource,
    ...(prometheus && { prometheus }),
    ...(config.otlp && {
      otlp: { url: config.otlp.url, exportIntervalMs: config.otlp.exportIntervalMs },
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
        if (registered && metrics.getMeterProvider() === meterProvider) metrics.disable();
        const work = Promise.allSettled([
          meterProvider.shutdown({ timeoutMillis: deadlineMs }),
          server?.close(),
        ]).then(([flushed]) => {
          if (flushed.status === 'rejected') throw flushed.reason;
        });
        await withDeadline(work, deadlineMs, 'opmeter shutdown');
      })();
      return shutdown;
    },
  };
}

async function snapshot(reader: InMemoryMetricReader): Promise<ResourceMetrics> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

function registerGlobal(config: ResolvedConfig, meterProvider: MeterProvider): boolean {
  if (!config.registerGlobal) return false;
  if (metrics.setGlobalMeterProvider(meterProvider)) return true;
  void meterProvider.shutdown();
  throw new OpmeterConfigError(
    'a global MeterProvider is already registered (by NodeSDK or an earlier startMetrics): ' +
      'pass registerGlobal: false and hand the handle to the instrumentations, or shut the other down first',
  );
}
