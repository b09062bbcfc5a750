import cluster, { type Worker } from 'node:cluster';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import * as promClient from 'prom-client';
import {
  type ClusterPrimaryHandle,
  ClusterWorkerReader,
  type DeltaMessage,
  defaultTransport,
  startClusterPrimary,
} from '../src/cluster/index.js';
import {
  CLUSTER_BOUNDARIES,
  CLUSTER_CASES,
  type ClusterCase,
  instrumentOf,
  intervalValues,
  seriesLabels,
} from './cluster-data.js';

/** The two sides of the benchmark. */
export type ClusterLibrary = 'opmeter' | 'prom-client';

/** What one interval cost, as the primary process reports it to the benchmark. */
export interface IntervalCost {
  /** JSON length of everything the worker sent for this interval. */
  bytes: number;
  /** Messages the worker sent for this interval. */
  messages: number;
  /** Worker CPU to build and serialise what it sent, µs. */
  workerCpuUs: number;
  /** Primary CPU from asking to having merged (prom-client: `clusterMetrics()`, which also renders), µs. */
  primaryCpuUs: number;
  /** prom-client only: CPU of `AggregatorRegistry.aggregate()` alone on the same replies, µs. */
  aggregateCpuUs?: number;
}

/** A command of the benchmark to a primary process, or of a primary to its worker. */
type Command = { cmd: 'case'; index: number } | { cmd: 'interval'; n: number } | { cmd: 'stop' };

/** The worker's answer to a command. */
interface WorkerReply {
  type: 'bench.ready' | 'bench.recorded' | 'bench.reported';
  bytes?: number;
  messages?: number;
  cpuUs?: number;
}

const LIBRARY = (process.env.BENCH_CLUSTER_LIBRARY ?? process.argv[2]) as ClusterLibrary;
const FOREVER = 2 ** 31 - 1;
const PROM_RESPONSE = 'prom-client:getMetricsRes';

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return user + system;
}

/** The next message of `worker` of type `type`. */
function nextReply(worker: Worker, type: WorkerReply['type']): Promise<WorkerReply> {
  return new Promise((resolve) => {
    const onMessage = (message: WorkerReply) => {
      if (message?.type !== type) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
  });
}

/** One primary process: a node:cluster with one worker of its library, driven by the benchmark. */
async function primary(): Promise<void> {
  let worker: Worker | undefined;
  let handle: ClusterPrimaryHandle | undefined;
  const captured: unknown[][] = [];
  const aggregator = LIBRARY === 'prom-client' ? new promClient.AggregatorRegistry() : undefined;
  cluster.on('message', (_worker, message: { type?: string; metrics?: unknown[][] }) => {
    if (message?.type === PROM_RESPONSE) captured.push(...(message.metrics ?? []));
  });
  process.on('message', async (command: Command) => {
    if (command.cmd === 'case') {
      worker?.kill();
      await handle?.shutdown();
      if (LIBRARY === 'opmeter') {
        handle = await startClusterPrimary({
          registerGlobal: false,
          resourceDetectors: [],
          intervalMs: FOREVER,
          cardinalityLimit: 20_000,
        });
      }
      worker = cluster.fork({ BENCH_CLUSTER_LIBRARY: LIBRARY });
      const ready = nextReply(worker, 'bench.ready');
      worker.send(command);
      await ready;
      process.send?.({ type: 'bench.result' });
    }
    if (command.cmd === 'interval' && worker !== undefined) {
      process.send?.({ type: 'bench.result', cost: await interval(worker, command.n) });
    }
    if (command.cmd === 'stop') {
      worker?.kill();
      await handle?.shutdown();
      process.disconnect();
    }
  });

  async function interval(target: Worker, n: number): Promise<IntervalCost> {
    if (aggregator === undefined) {
      const reported = nextReply(target, 'bench.reported');
      const start = process.cpuUsage();
      target.send({ cmd: 'interval', n });
      const reply = await reported;
      return cost(reply, cpuSince(start));
    }
    const recorded = nextReply(target, 'bench.recorded');
    target.send({ cmd: 'interval', n });
    await recorded;
    captured.length = 0;
    const reported = nextReply(target, 'bench.reported');
    const start = process.cpuUsage();
    await aggregator.clusterMetrics();
    const primaryCpuUs = cpuSince(start);
    const reply = await reported;
    const aggregateStart = process.cpuUsage();
    promClient.AggregatorRegistry.aggregate(captured as never);
    return { ...cost(reply, primaryCpuUs), aggregateCpuUs: cpuSince(aggregateStart) };
  }
}

function cost(reply: WorkerReply, primaryCpuUs: number): IntervalCost {
  return {
    bytes: reply.bytes ?? 0,
    messages: reply.messages ?? 0,
    workerCpuUs: reply.cpuUs ?? 0,
    primaryCpuUs,
  };
}

/** The worker of the cluster: holds one case's series and records an interval on request. */
function worker(): void {
  const send = (reply: WorkerReply) => process.send?.(reply);
  let record: ((n: number) => Promise<void>) | undefined;
  process.on('message', async (command: Command) => {
    if (command.cmd === 'case') {
      const spec = CLUSTER_CASES[command.index] as ClusterCase;
      record = LIBRARY === 'opmeter' ? opmeterWorker(spec, send) : promClientWorker(spec, send);
      send({ type: 'bench.ready' });
    }
    if (command.cmd === 'interval') await record?.(command.n);
  });
}

/** opmeter's side: the SDK records, `ClusterWorkerReader.report()` sends the delta. */
function opmeterWorker(spec: ClusterCase, send: (reply: WorkerReply) => void) {
  const labels = seriesLabels(spec.family, spec.series);
  const names = instrumentOf(spec.family);
  let bytes = 0;
  let messages = 0;
  const ipc = defaultTransport();
  const reader = new ClusterWorkerReader({
    intervalMs: FOREVER,
    cardinalityLimit: 20_000,
    transport: {
      source: ipc.source,
      send: (message) => {
        bytes += (message as DeltaMessage).bytes;
        messages++;
        return ipc.send(message);
      },
      listen: ipc.listen,
      close: ipc.close,
    },
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('opmeter/bench');
  const add =
    spec.family === 'histogram'
      ? meter.createHistogram(names.otel, {
          unit: 's',
          advice: { explicitBucketBoundaries: [...CLUSTER_BOUNDARIES] },
        })
      : meter.createCounter(names.otel, { unit: '{event}' });
  const measure = (value: number, attributes: Record<string, string>) =>
    'record' in add ? add.record(value, attributes) : add.add(value, attributes);
  return async (n: number) => {
    for (const [series, values] of intervalValues(spec, n)) {
      // A fresh attributes object per measurement, as an application passes them.
      const attributes = { ...labels[series]?.otel };
      for (const value of values) measure(value, attributes);
    }
    bytes = 0;
    messages = 0;
    const start = process.cpuUsage();
    await reader.report();
    send({ type: 'bench.reported', bytes, messages, cpuUs: cpuSince(start) });
  };
}

/** prom-client's side: its registry records, its AggregatorRegistry answers the primary's scrape. */
function promClientWorker(spec: ClusterCase, send: (reply: WorkerReply) => void) {
  const labels = seriesLabels(spec.family, spec.series);
  const names = instrumentOf(spec.family);
  const registry = new promClient.Registry();
  promClient.AggregatorRegistry.setRegistries(registry);
  const config = {
    name: names.prom,
    help: names.prom,
    labelNames: names.labelNames,
    registers: [registry],
  };
  const measure =
    spec.family === 'histogram'
      ? (() => {
          const histogram = new promClient.Histogram({
            ...config,
            buckets: [...CLUSTER_BOUNDARIES],
          });
          return (value: number, labels: Record<string, string>) =>
            histogram.observe(labels, value);
        })()
      : (() => {
          const counter = new promClient.Counter(config);
          return (value: number, labels: Record<string, string>) => counter.inc(labels, value);
        })();
  let start: NodeJS.CpuUsage | undefined;
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'prom-client:getMetricsReq') start = process.cpuUsage();
  });
  const original = process.send?.bind(process);
  process.send = ((message: { type?: string }, ...rest: never[]) => {
    const sent = original?.(message, ...rest) ?? false;
    if (message?.type === PROM_RESPONSE && start !== undefined) {
      const cpuUs = cpuSince(start);
      original?.({
        type: 'bench.reported',
        bytes: JSON.stringify(message).length,
        messages: 1,
        cpuUs,
      });
    }
    return sent;
  }) as typeof process.send;
  new promClient.AggregatorRegistry(); // answers the primary's requests from now on
  return async (n: number) => {
    for (const [series, values] of intervalValues(spec, n)) {
      const attributes = { ...labels[series]?.prom };
      for (const value of values) measure(value, attributes);
    }
    send({ type: 'bench.recorded' });
  };
}

if (cluster.isPrimary) await primary();
else worker();
