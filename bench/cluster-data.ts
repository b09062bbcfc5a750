import { seededRandom } from '../src/analytics/statistics/reservoir.js';
import { WORKFLOW_DURATION_BUCKETS } from '../src/core/buckets.js';

/** Which instrument family a cluster case holds. */
export type ClusterFamily = 'histogram' | 'counter';

/** One cluster case: 10k series of one family, and the share of them changing per interval. */
export interface ClusterCase {
  family: ClusterFamily;
  series: number;
  /** Share of the series recorded into in each interval (1 = all). */
  changing: number;
}

/** The four cases of the benchmark, in table order. */
export const CLUSTER_CASES: readonly ClusterCase[] = [
  { family: 'histogram', series: 10_000, changing: 1 },
  { family: 'histogram', series: 10_000, changing: 0.1 },
  { family: 'counter', series: 10_000, changing: 1 },
  { family: 'counter', series: 10_000, changing: 0.1 },
];

/** The workflow domain's default duration boundaries (16 edges, 1 s to 8 h). */
export const CLUSTER_BOUNDARIES: readonly number[] = WORKFLOW_DURATION_BUCKETS;

/** One series' labels, by OTel attribute name and by the Prometheus label name prom-client uses. */
export interface SeriesLabels {
  otel: Record<string, string>;
  prom: Record<string, string>;
}

/** The instrument of a family under both naming schemes, with its label names. */
export function instrumentOf(family: ClusterFamily): {
  otel: string;
  prom: string;
  labelNames: string[];
} {
  return family === 'histogram'
    ? {
        otel: 'workflow.duration',
        prom: 'workflow_duration_seconds',
        labelNames: ['workflow_code', 'package', 'outcome'],
      }
    : {
        otel: 'event.received',
        prom: 'event_received_total',
        labelNames: ['event_type', 'event_queue', 'outcome'],
      };
}

/** Label sets shaped like the workflow domain's (histograms) or the event domain's (counters). */
export function seriesLabels(family: ClusterFamily, series: number): SeriesLabels[] {
  return Array.from({ length: series }, (_, i): SeriesLabels => {
    const outcome = i % 10 === 9 ? 'failure' : 'success';
    if (family === 'histogram') {
      const code = `IMPORT_ORDERS_${String(Math.floor(i / 10) % 1000).padStart(3, '0')}`;
      const pkg = `billing-${i % 9}`;
      return {
        otel: { 'workflow.code': code, 'opmeter.package': pkg, outcome },
        prom: { workflow_code: code, package: pkg, outcome },
      };
    }
    const type = `order.line.${String(Math.floor(i / 10)).padStart(4, '0')}.updated`;
    const queue = `orders-${i % 9}`;
    return {
      otel: { 'event.type': type, 'event.queue': queue, outcome },
      prom: { event_type: type, event_queue: queue, outcome },
    };
  });
}

/**
 * The measurements of interval `interval`: for each changed series (the first interval changes
 * all), its index and 1–5 values (seconds of a log-normal around 30 s for histograms, increments
 * for counters). Seeded: every library gets the same numbers.
 */
export function intervalValues(
  spec: ClusterCase,
  interval: number,
): Array<[series: number, values: number[]]> {
  const random = seededRandom(1000 + interval);
  const changing = interval === 0 ? 1 : spec.changing;
  const out: Array<[number, number[]]> = [];
  const step = Math.round(1 / changing);
  for (let i = interval % step; i < spec.series; i += step) {
    const values = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
      spec.family === 'histogram' ? Math.exp(Math.log(30) + 1.2 * gaussian(random)) : 1,
    );
    out.push([i, values]);
  }
  return out;
}

/** A standard normal variate (Box–Muller) from `random`. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
