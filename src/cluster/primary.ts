import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { type MeterProvider as ApiMeterProvider, createNoopMeter } from '@opentelemetry/api';
import { emptyResource, type Resource } from '@opentelemetry/resources';
import {
  type CollectionResult,
  MeterProvider,
  type MetricProducer,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OpmeterConfigError } from '../core/config-error.js';
import { checkInteger, checkKeys, MAX_TIMER_MS, optionKeys } from '../core/config-validation.js';
import { EXEMPLARS } from '../core/exemplars/default-reservoir.js';
import { ExemplarReservoir } from '../core/exemplars/reservoir.js';
import { resolveConfig } from '../sdk/config.js';
import { registerGlobalProvider, unregisterGlobalProvider } from '../sdk/global-provider.js';
import type { PrometheusEndpoint, StartMetricsOptions } from '../sdk/options.js';
import { createOtlpReader, type OtlpReader } from '../sdk/otlp/reader.js';
import { createPrometheusEndpoint, PROMETHEUS_METER_NAME } from '../sdk/prometheus/endpoint.js';
import { listenForScrapes, type ScrapeServer } from '../sdk/prometheus/server.js';
import { buildResource } from '../sdk/resource.js';
import { toViewOptions } from '../sdk/views/build.js';
import { SessionStats, type SessionStatsState } from '../stats/session-stats.js';
import { mergeExemplars, newestExemplar } from './exemplars.js';
import { type ApplyResult, GAUGE_POLICIES, type GaugePolicy, MergedMetrics } from './merge.js';
import { ClusterSelfMetrics } from './self-metrics.js';
import {
  CLUSTER_METER_NAME,
  MESSAGE_DELTA,
  MESSAGE_STATS_REPLY,
  MESSAGE_STATS_REQUEST,
  REASON_TOO_LARGE,
  REASON_UNKNOWN,
  THREAD_ANSWER_CHANNEL,
  THREAD_CHANNEL,
  THREAD_REQUEST_CHANNEL,
} from './semconv.js';
import { postOnce } from './thread-channel.js';
import { type AnswerMessage, answerTo, type DeltaMessage, MIN_MESSAGE_BYTES } from './wire.js';
import {
  ClusterWorkerReader,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_REPORT_INTERVAL_MS,
} from './worker-reader.js';

/** Options of {@link startClusterPrimary}: the `startMetrics` ones that apply, and the merge's. */
export interface ClusterPrimaryOptions
  extends Pick<
    StartMetricsOptions,
    | 'serviceName'
    | 'resourceAttributes'
    | 'resourceDetectors'
    | 'prometheus'
    | 'otlp'
    | 'views'
    | 'cardinalityLimit'
    | 'registerGlobal'
    | 'env'
    | 'stats'
    | 'exemplars'
  > {
  /** The workers' report period: a worker silent for 3 periods no longer counts as reporting. Default 1000. */
  intervalMs?: number;
  /** Policy of gauges not named in `gaugePolicies`. Default `last`. */
  gaugePolicy?: GaugePolicy;
  /** Policy per gauge name, e.g. `{ 'process.memory.usage': 'sum' }`. */
  gaugePolicies?: Readonly<Record<string, GaugePolicy>>;
  /** Most merged series per metric (+1 overflow series). Default `cardinalityLimit` (2000). */
  maxSeriesPerMetric?: number;
  /** Most merged metrics. Default 1000. */
  maxMetrics?: number;
  /** Longest report accepted (JSON length); longer ones are refused. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Listen for worker threads' reports on their BroadcastChannel. Default true. */
  threads?: boolean;
}

/** Every option of {@link startClusterPrimary}, for the check of misspelt keys. */
const PRIMARY_OPTION_KEYS = optionKeys<ClusterPrimaryOptions>({
  serviceName: true,
  resourceAttributes: true,
  resourceDetectors: true,
  prometheus: true,
  otlp: true,
  views: true,
  cardinalityLimit: true,
  registerGlobal: true,
  env: true,
  stats: true,
  exemplars: true,
  intervalMs: true,
  gaugePolicy: true,
  gaugePolicies: true,
  maxSeriesPerMetric: true,
  maxMetrics: true,
  maxMessageBytes: true,
  threads: true,
});

/** What {@link startClusterPrimary} returns. */
export interface ClusterPrimaryHandle {
  /**
   * The primary's own provider: what it records is merged with the workers' data (a no-op one
   * under `OTEL_SDK_DISABLED=true`).
   */
  readonly meterProvider: ApiMeterProvider;
  readonly resource: Resource;
  /** The one scrape endpoint of the whole cluster, when `prometheus` is on. */
  readonly prometheus?: PrometheusEndpoint;
  readonly stats?: SessionStats;
  /** The merged cumulative state of every worker and the primary, as `ResourceMetrics`. */
  collect(): Promise<ResourceMetrics>;
  /** Names of the workers that reported within three intervals. */
  reportingWorkers(): string[];
  /**
   * Asks every worker started with `stats` for its session statistics and merges the answers
   * that arrive within `timeoutMs` (default 2000) with the primary's own `stats`.
   */
  collectStats(options?: { timeoutMs?: number }): Promise<SessionStats>;
  /** Pushes OTLP now, when OTLP is on. */
  forceFlush(): Promise<void>;
  /** Stops listening, pushes OTLP a last time, closes the port. Idempotent. */
  shutdown(): Promise<void>;
}

/** The gauge policy checked. @throws OpmeterConfigError */
function checkPolicy(policy: unknown, where: string): GaugePolicy {
  if (GAUGE_POLICIES.includes(policy as GaugePolicy)) return policy as GaugePolicy;
  throw new OpmeterConfigError(
    `${where} is ${JSON.stringify(policy)}: use one of ${GAUGE_POLICIES.join(', ')}`,
  );
}

/**
 * Starts the cluster primary (or the main thread of a thread pool): merges the delta reports of
 * every `startClusterWorker()` (cluster workers over IPC, worker threads over a BroadcastChannel)
 * with what the primary records itself, and serves the merged cumulative state on one Prometheus
 * endpoint and one OTLP push. Workers may start, die and be replaced at any time. Under
 * `OTEL_SDK_DISABLED=true` the handle is a no-op: nothing listens, serves, pushes or registers.
 * @throws OpmeterConfigError (as a rejection) for invalid options or a port in use.
 * @example
 * if (cluster.isPrimary) {
 *   await startClusterPrimary({ serviceName: 'api', prometheus: { port: 9464 } });
 *   for (let i = 0; i < 4; i++) cluster.fork();
 * }
 */
export async function startClusterPrimary(
  options: ClusterPrimaryOptions = {},
): Promise<ClusterPrimaryHandle> {
  checkKeys(options, PRIMARY_OPTION_KEYS, 'startClusterPrimary options');
  const {
    intervalMs = DEFAULT_REPORT_INTERVAL_MS,
    gaugePolicy = 'last',
    gaugePolicies = {},
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    maxMetrics = 1000,
    threads = true,
    maxSeriesPerMetric,
    ...metricsOptions
  } = options;
  const config = resolveConfig(metricsOptions, metricsOptions.env ?? process.env);
  checkInteger(intervalMs, 10, MAX_TIMER_MS, 'intervalMs');
  checkInteger(maxMessageBytes, MIN_MESSAGE_BYTES, 2 ** 30, 'maxMessageBytes');
  checkInteger(maxMetrics, 1, 1_000_000, 'maxMetrics');
  if (maxSeriesPerMetric !== undefined) {
    checkInteger(maxSeriesPerMetric, 1, Number.MAX_SAFE_INTEGER, 'maxSeriesPerMetric');
  }
  const fallback = checkPolicy(gaugePolicy, 'gaugePolicy');
  const policies = new Map(
    Object.entries(gaugePolicies).map(([name, p]) => [
      name,
      checkPolicy(p, `gaugePolicies.${name}`),
    ]),
  );
  if (config.disabled) return disabledPrimary(options.stats);
  const resource = await buildResource(config);
  EXEMPLARS.filter = config.exemplarFilter;
  // The workers' newest exemplars, served with the primary's own on OpenMetrics scrapes.
  const workerExemplars =
    config.exemplarFilter === 'always_off' ? undefined : new ExemplarReservoir();
  let self: ClusterSelfMetrics | undefined;
  const merged = new MergedMetrics({
    maxSeriesPerMetric: maxSeriesPerMetric ?? config.cardinalityLimit,
    maxMetrics,
    gaugePolicy: (name) => policies.get(name) ?? fallback,
    onRefused: (reason, points) => self?.refused(reason, points),
  });
  // The primary's own measurements take the workers' path, merged (and answered) in-process on
  // every collection.
  let answerLocal: (answer: AnswerMessage) => void = () => undefined;
  const local = new ClusterWorkerReader({
    intervalMs,
    cardinalityLimit: config.cardinalityLimit,
    maxExemplars: 0, // the primary's own are served from its reservoir directly
    transport: {
      source: 'primary',
      send: (report) => {
        const result = merged.apply('primary', report);
        if (result !== 'malformed') answerLocal(answerOf(report as DeltaMessage, result));
        return true;
      },
      listen: (listener) => {
        answerLocal = listener;
        return () => {
          answerLocal = () => undefined;
        };
      },
      close: () => undefined,
    },
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [local],
    views: toViewOptions(config.views, config.cardinalityLimit),
  });
  self = new ClusterSelfMetrics(meterProvider.getMeter(CLUSTER_METER_NAME), intervalMs);
  const figures = self;

  /** Merges one report and answers it to its worker, so the worker knows what to send again. */
  const receive = (source: string, report: unknown, reply: (answer: AnswerMessage) => void) => {
    const { bytes, seq, epoch } = report as Partial<DeltaMessage>;
    if (typeof bytes === 'number' && bytes > maxMessageBytes) {
      figures.refused(REASON_TOO_LARGE, 1);
      if (typeof seq === 'number' && typeof epoch === 'number') {
        reply(answerTo({ seq, epoch }, REASON_TOO_LARGE, maxMessageBytes));
      }
      return;
    }
    const result = merged.apply(source, report);
    if (result === 'malformed') return;
    reply(answerOf(report as DeltaMessage, result));
    if (result !== 'merged') return;
    figures.reported(source, typeof bytes === 'number' ? bytes : 0);
    if (workerExemplars) mergeExemplars(workerExemplars, report as DeltaMessage);
  };
  const statsWaiters = new Map<string, (source: string, state: SessionStatsState) => void>();
  const onMessage = (
    message: unknown,
    source: string | undefined,
    reply: (answer: AnswerMessage) => void,
  ): void => {
    if (typeof message !== 'object' || message === null) return;
    const { type } = message as { type?: unknown };
    if (type === MESSAGE_DELTA && source !== undefined) receive(source, message, reply);
    else if (type === MESSAGE_STATS_REPLY) {
      const reply = message as { id?: unknown; source?: unknown; state?: SessionStatsState };
      if (typeof reply.id !== 'string' || !reply.state) return;
      statsWaiters.get(reply.id)?.(String(reply.source), reply.state);
    }
  };
  const onWorkerMessage = (worker: Worker, message: unknown) =>
    onMessage(message, `process:${worker.process.pid}`, (answer) => {
      if (worker.isConnected()) worker.send(answer, undefined, ignore);
    });
  const onWorkerExit = (worker: Worker) => {
    const source = `process:${worker.process.pid}`;
    merged.dropSource(source);
    figures.exited(source);
  };
  cluster.on('message', onWorkerMessage);
  cluster.on('exit', onWorkerExit);
  const channel = threads ? new BroadcastChannel(THREAD_CHANNEL) : undefined;
  (channel as { unref?: () => void } | undefined)?.unref?.();
  channel?.addEventListener('message', (event) => {
    const data = (event as MessageEvent).data as { source?: unknown } | null;
    const source = typeof data?.source === 'string' ? data.source : undefined;
    const thread = source?.startsWith('thread:') ? source : undefined;
    onMessage(data, thread, (answer) => postOnce(`${THREAD_ANSWER_CHANNEL}${thread}`, answer));
  });
  const stale = setInterval(() => {
    for (const source of figures.staleSources()) {
      merged.dropSource(source);
      figures.exited(source);
    }
  }, intervalMs);
  stale.unref();

  /** Merges the primary's own deltas, then snapshots everything. */
  const collect = async (): Promise<ResourceMetrics> => {
    await local.report();
    return merged.snapshot(resource);
  };
  const producer: MetricProducer = {
    collect: async (): Promise<CollectionResult> => ({
      resourceMetrics: await collect(),
      errors: [],
    }),
  };

  let registered = false;
  let server: ScrapeServer | undefined;
  let otlp: OtlpReader | undefined;
  let prometheus: PrometheusEndpoint | undefined;
  let stopPrometheus: (() => void) | undefined;
  const stop = async () => {
    stopPrometheus?.();
    clearInterval(stale);
    cluster.off('message', onWorkerMessage);
    cluster.off('exit', onWorkerExit);
    channel?.close();
    if (registered) unregisterGlobalProvider(meterProvider);
    // The last OTLP push collects through the primary's reader: shut the provider down after it.
    await Promise.allSettled([server?.close(), otlp?.reader.shutdown()]);
    otlp?.exporter.destroy();
    await meterProvider.shutdown().catch(() => undefined);
  };
  try {
    if (config.otlp) {
      otlp = await createOtlpReader(config.otlp, config.cardinalityLimit);
      otlp.reader.setMetricProducer(producer);
    }
    if (config.prometheus) {
      const endpoint = createPrometheusEndpoint(
        producer,
        meterProvider.getMeter(PROMETHEUS_METER_NAME),
        {
          ...config.prometheus,
          exemplars: newestExemplar(EXEMPLARS, ...(workerExemplars ? [workerExemplars] : [])),
        },
      );
      if (config.prometheus.mode === 'listen') {
        const { host, port, path } = config.prometheus;
        server = await listenForScrapes(host, port, path, endpoint.requestHandler);
      }
      const { stop: stopEndpoint, ...parts } = endpoint;
      prometheus = { url: server?.url, ...parts };
      stopPrometheus = stopEndpoint;
    }
    registered = registerGlobalProvider(meterProvider, config.registerGlobal);
  } catch (error) {
    await stop();
    throw error;
  }

  let shutdown: Promise<void> | undefined;
  return {
    meterProvider,
    resource,
    ...(prometheus && { prometheus }),
    ...(options.stats && { stats: options.stats }),
    collect,
    reportingWorkers: () => figures.reporting(),
    collectStats: async ({ timeoutMs = 2000 } = {}) => {
      const result = copyOf(options.stats);
      const id = randomUUID();
      const expected = new Set(figures.reporting());
      const request = { type: MESSAGE_STATS_REQUEST, id };
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker?.isConnected()) worker.send(request, undefined, ignore);
      }
      if (channel) postOnce(THREAD_REQUEST_CHANNEL, request);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        statsWaiters.set(id, (source, state) => {
          result.merge(state);
          expected.delete(source);
          if (expected.size > 0) return;
          clearTimeout(timer);
          resolve();
        });
      });
      statsWaiters.delete(id);
      return result;
    },
    forceFlush: async () => {
      await otlp?.reader.forceFlush();
    },
    shutdown: () => {
      shutdown ??= stop();
      return shutdown;
    },
  };
}

/** The primary handle under `OTEL_SDK_DISABLED=true`: nothing merged; its own statistics only. */
function disabledPrimary(stats: SessionStats | undefined): ClusterPrimaryHandle {
  const noop = createNoopMeter();
  return {
    meterProvider: { getMeter: () => noop },
    resource: emptyResource(),
    ...(stats && { stats }),
    collect: async () => ({ resource: emptyResource(), scopeMetrics: [] }),
    reportingWorkers: () => [],
    collectStats: async () => copyOf(stats),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/** A new SessionStats holding what `stats` holds (empty without it). */
function copyOf(stats: SessionStats | undefined): SessionStats {
  const result = new SessionStats();
  if (stats) result.merge(stats.state());
  return result;
}

/** The answer to a report the merge took in. */
function answerOf(report: DeltaMessage, result: Exclude<ApplyResult, 'malformed'>): AnswerMessage {
  return answerTo(report, result === 'unknown' ? REASON_UNKNOWN : undefined);
}

/** A message to a worker that is going away is simply not delivered. */
function ignore(): void {}
