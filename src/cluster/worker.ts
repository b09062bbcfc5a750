import { type MeterProvider as ApiMeterProvider, createNoopMeter } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { checkKeys, optionKeys } from '../core/config-validation.js';
import { EXEMPLARS } from '../core/exemplars/default-reservoir.js';
import { type Env, parseMetricsEnv } from '../sdk/env.js';
import { registerGlobalProvider, unregisterGlobalProvider } from '../sdk/global-provider.js';
import { createViews } from '../sdk/views/build.js';
import type { ViewConfig } from '../sdk/views/types.js';
import type { SessionStats } from '../stats/session-stats.js';
import { MESSAGE_STATS_REPLY, MESSAGE_STATS_REQUEST } from './semconv.js';
import { ClusterWorkerReader, type ClusterWorkerReaderOptions } from './worker-reader.js';

/** Options of {@link startClusterWorker}. */
export interface ClusterWorkerOptions extends ClusterWorkerReaderOptions {
  /** Per-instrument views (boundaries, attribute filters, caps), as in `startMetrics`. */
  views?: readonly ViewConfig[];
  /** Register the provider as the global `@opentelemetry/api` MeterProvider. Default true. */
  registerGlobal?: boolean;
  /** Session statistics the primary may ask for (`primary.collectStats()`). */
  stats?: SessionStats;
  /** Where `OTEL_*` variables are read (`OTEL_SDK_DISABLED`). Default `process.env`. */
  env?: Env;
}

/** Every option of {@link startClusterWorker}, for the check of misspelt keys. */
const WORKER_OPTION_KEYS = optionKeys<ClusterWorkerOptions>({
  views: true,
  registerGlobal: true,
  stats: true,
  env: true,
  intervalMs: true,
  maxMessageBytes: true,
  cardinalityLimit: true,
  transport: true,
  maxExemplars: true,
});

/** What {@link startClusterWorker} returns; it is accepted by every instrumentation. */
export interface ClusterWorkerHandle {
  /** The provider instrumentations record into (a no-op one under `OTEL_SDK_DISABLED=true`). */
  readonly meterProvider: ApiMeterProvider;
  readonly stats?: SessionStats;
  /** The reader sending the reports; absent under `OTEL_SDK_DISABLED=true`. */
  readonly reader?: ClusterWorkerReader;
  /** Sends what changed since the last report now and waits for the primary's answer (at most 1 s). */
  forceFlush(): Promise<void>;
  /** Sends the last report, stops the timer and unregisters the global provider. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts metrics in a cluster worker (or a worker thread): a MeterProvider whose only reader
 * sends deltas to the primary every `intervalMs`, on `forceFlush()`, on `shutdown()` and once
 * when the event loop empties (`beforeExit`); what the primary did not merge is sent again.
 * `process.exit()` and SIGKILL lose at most the deltas not answered yet (the interval under
 * way); the primary's counters never go back. Under
 * `OTEL_SDK_DISABLED=true` the handle is a no-op: nothing is sent, listened to or registered.
 * @throws Error when there is no primary to report to; OpmeterConfigError for invalid views.
 * @example
 * const telemetry = startClusterWorker({ intervalMs: 1000 });
 * const workflows = new WorkflowInstrumentation(telemetry);
 */
export function startClusterWorker(options: ClusterWorkerOptions = {}): ClusterWorkerHandle {
  checkKeys(options, WORKER_OPTION_KEYS, 'startClusterWorker options');
  const limit = options.cardinalityLimit ?? 2000;
  const views = createViews(options.views ?? [], limit);
  const env = parseMetricsEnv(options.env ?? process.env);
  if (env.disabled) return disabledWorker(options.stats);
  EXEMPLARS.filter = env.exemplarFilter ?? 'trace_based';
  const reader = new ClusterWorkerReader(options);
  const meterProvider = new MeterProvider({ readers: [reader], views });
  let registered: boolean;
  try {
    registered = registerGlobalProvider(meterProvider, options.registerGlobal ?? true);
  } catch (error) {
    void meterProvider.shutdown();
    throw error;
  }
  const { stats } = options;
  const unlisten = stats
    ? reader.transport.listen((message) => {
        const request = message as { type?: unknown; id?: unknown } | null;
        if (request?.type !== MESSAGE_STATS_REQUEST) return;
        reader.transport.send({
          type: MESSAGE_STATS_REPLY,
          id: request.id,
          source: reader.transport.source,
          state: stats.state(),
        });
      })
    : () => undefined;
  const onBeforeExit = () => void reader.flush();
  process.once('beforeExit', onBeforeExit);
  let shutdown: Promise<void> | undefined;
  return {
    meterProvider,
    ...(stats && { stats }),
    reader,
    forceFlush: () => reader.flush(),
    shutdown: () => {
      shutdown ??= (async () => {
        process.off('beforeExit', onBeforeExit);
        unlisten();
        if (registered) unregisterGlobalProvider(meterProvider);
        await meterProvider.shutdown();
      })();
      return shutdown;
    },
  };
}

/** The worker handle under `OTEL_SDK_DISABLED=true`: a no-op provider; statistics are handed on. */
function disabledWorker(stats: SessionStats | undefined): ClusterWorkerHandle {
  const noop = createNoopMeter();
  return {
    meterProvider: { getMeter: () => noop },
    ...(stats && { stats }),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}
