import { CustomMetrics } from '../instrumentations/custom/index.js';
import { CUSTOM_TIMING_BUCKETS } from '../instrumentations/custom/semconv.js';
import {
  type Comparison,
  compare,
  comparisonTable,
  isEntryPoint,
  OPS_PER_ITERATION,
  type Task,
} from './harness.js';
import { PEERS, type PeerLibrary, peerComparisons } from './peers.js';
import { benchMeterProvider, cycle } from './support.js';

/**
 * One tag set: a region and a route, the two tags a user typically puts on a custom metric. Each
 * call builds a fresh tags object from it, as a call site with an object literal does.
 */
interface TagSet {
  readonly region: string;
  readonly route: string;
}

/** `count` distinct tag sets: 10 regions times `count / 10` routes. */
function tagSets(count: number): readonly TagSet[] {
  return Array.from({ length: count }, (_, i) => ({
    region: `region-${i % 10}`,
    route: `/api/v1/resource-${Math.floor(i / 10)}`,
  }));
}

/** A custom metric's workload: how many tag sets it cycles through, and opmeter's series bound. */
interface Workload {
  readonly label: string;
  readonly sets: readonly TagSet[];
  /** `maxSeriesPerMetric` of the facade; undefined keeps the default (100). */
  readonly maxSeries: number | undefined;
}

const WORKLOADS: readonly Workload[] = [
  { label: '100 tag sets (defaults)', sets: tagSets(100), maxSeries: undefined },
  { label: '1k tag sets', sets: tagSets(1000), maxSeries: 1000 },
];

/** What one call records: a counter increment or a timing in seconds. */
type Kind = 'counter' | 'timing';

/** Seconds of the `i`th timing: spread over the buckets, the same on every side. */
function secondsOf(i: number): number {
  return ((i % 97) + 1) / 400;
}

function rawOtelTask(kind: Kind, workload: Workload): Task {
  const meter = benchMeterProvider().getMeter('raw');
  const next = cycle(workload.sets);
  if (kind === 'counter') {
    const counter = meter.createCounter('orders');
    return [
      'raw OTel calls',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) {
          const { region, route } = next();
          counter.add(1, { region, route });
        }
      },
    ];
  }
  const histogram = meter.createHistogram('latency', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...CUSTOM_TIMING_BUCKETS] },
  });
  return [
    'raw OTel calls',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const { region, route } = next();
        histogram.record(secondsOf(i), { region, route });
      }
    },
  ];
}

function opmeterTask(kind: Kind, workload: Workload): Task {
  const custom = new CustomMetrics({
    meterProvider: benchMeterProvider(),
    ...(workload.maxSeries === undefined ? {} : { maxSeriesPerMetric: workload.maxSeries }),
  });
  const next = cycle(workload.sets);
  if (kind === 'counter') {
    return [
      'opmeter increment()',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) {
          const { region, route } = next();
          custom.increment('orders', 1, { region, route });
        }
      },
    ];
  }
  return [
    'opmeter timing()',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const { region, route } = next();
        custom.timing('latency', secondsOf(i), { region, route });
      }
    },
  ];
}

function peerTask(kind: Kind, workload: Workload, peer: PeerLibrary): Task {
  const registry = peer.registry();
  const next = cycle(workload.sets);
  if (kind === 'counter') {
    const counter = registry.counter('orders_total', ['region', 'route']);
    return [
      peer.name,
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) {
          const { region, route } = next();
          counter.inc({ region, route });
        }
      },
    ];
  }
  const histogram = registry.histogram(
    'latency_seconds',
    ['region', 'route'],
    CUSTOM_TIMING_BUCKETS,
  );
  return [
    peer.name,
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const { region, route } = next();
        histogram.observe({ region, route }, secondsOf(i));
      }
    },
  ];
}

const PROM_CLIENT = PEERS.find((peer) => peer.name === 'prom-client') as PeerLibrary;

/**
 * Custom metrics with two tags, a fresh tags object per call, against the same calls made on the
 * OTel API directly and on each Prometheus client's own instruments, at the default series bound
 * and at 1k tag sets.
 */
export async function run(): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  for (const workload of WORKLOADS) {
    for (const kind of ['counter', 'timing'] as const) {
      const name = `custom ${kind}, ${workload.label}`;
      comparisons.push(
        await compare(
          `${name}: opmeter vs raw OTel`,
          rawOtelTask(kind, workload),
          opmeterTask(kind, workload),
        ),
        await compare(
          `${name}: opmeter vs prom-client`,
          peerTask(kind, workload, PROM_CLIENT),
          opmeterTask(kind, workload),
        ),
        ...(await peerComparisons(
          name,
          () => rawOtelTask(kind, workload),
          (peer) => peerTask(kind, workload, peer),
        )),
      );
    }
  }
  return comparisons;
}

if (isEntryPoint(import.meta.url)) {
  console.log(comparisonTable(await run()));
}
