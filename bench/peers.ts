import * as prometheusIo from '@prometheus-io/client';
import * as promClient from 'prom-client';
import { type Comparison, compare, type Task } from './harness.js';

/** Label values of one series, by label name. */
export type Labels = Record<string, string>;

/** A histogram of a peer library, used through its own methods (no wrapper on the hot path). */
export interface PeerHistogram {
  observe(labels: Labels, value: number): void;
}

/** A counter of a peer library. */
export interface PeerCounter {
  inc(labels: Labels, value?: number): void;
}

/** A gauge of a peer library. */
export interface PeerGauge {
  inc(labels: Labels): void;
  dec(labels: Labels): void;
}

/** A fresh registry of a peer library, and the instruments registered in it. */
export interface PeerRegistry {
  /** `buckets` omitted: the library's default buckets. */
  histogram(
    name: string,
    labelNames: readonly string[],
    buckets?: readonly number[],
  ): PeerHistogram;
  counter(name: string, labelNames: readonly string[]): PeerCounter;
  gauge(name: string, labelNames: readonly string[]): PeerGauge;
  /** The library's own scrape: the whole registry in the Prometheus text format. */
  metrics(): Promise<string>;
  /** Unregisters everything, so the series can be collected. */
  clear(): void;
}

/** One Prometheus client library that opmeter is compared with. */
export interface PeerLibrary {
  /** The npm package name, as it appears in the tables. */
  readonly name: string;
  registry(): PeerRegistry;
}

interface Config<R> {
  name: string;
  help: string;
  labelNames: readonly string[];
  registers: R[];
}

/** The part of a prom-client-shaped module the benchmarks use; both peers have this shape. */
interface PromModule<R extends { metrics(): Promise<string>; clear(): void }> {
  Registry: new () => R;
  Histogram: new (config: Config<R> & { buckets?: number[] }) => PeerHistogram;
  Counter: new (config: Config<R>) => PeerCounter;
  Gauge: new (config: Config<R>) => PeerGauge;
}

function peer<R extends { metrics(): Promise<string>; clear(): void }>(
  name: string,
  lib: PromModule<R>,
): PeerLibrary {
  return {
    name,
    registry: () => {
      const registry = new lib.Registry();
      const config = (metric: string, labelNames: readonly string[]): Config<R> => ({
        name: metric,
        help: metric,
        labelNames,
        registers: [registry],
      });
      return {
        histogram: (metric, labelNames, buckets) =>
          new lib.Histogram({
            ...config(metric, labelNames),
            ...(buckets && { buckets: [...buckets] }),
          }),
        counter: (metric, labelNames) => new lib.Counter(config(metric, labelNames)),
        gauge: (metric, labelNames) => new lib.Gauge(config(metric, labelNames)),
        metrics: () => registry.metrics(),
        clear: () => registry.clear(),
      };
    },
  };
}

/** prom-client 15 (deprecated) and its successor `@prometheus-io/client`, in table order. */
export const PEERS: readonly PeerLibrary[] = [
  peer('prom-client', promClient),
  peer('@prometheus-io/client', prometheusIo),
];

/**
 * `<operation>: <peer> vs raw OTel` for every peer, in {@link PEERS} order, each against a fresh
 * raw-OTel baseline so the peers' rows sit side by side in the table.
 */
export async function peerComparisons(
  operation: string,
  baseline: () => Task,
  task: (peer: PeerLibrary) => Task,
): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  for (const peer of PEERS) {
    comparisons.push(
      await compare(`${operation}: ${peer.name} vs raw OTel`, baseline(), task(peer)),
    );
  }
  return comparisons;
}
