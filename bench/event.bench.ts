import { performance } from 'node:perf_hooks';
import { EventInstrumentation } from '../instrumentations/event/index.js';
import { EVENT_DURATION_BUCKETS } from '../src/core/buckets.js';
import { SessionStats } from '../src/stats/session-stats.js';
import {
  type Comparison,
  compare,
  comparisonTable,
  isEntryPoint,
  OPS_PER_ITERATION,
  type Task,
} from './harness.js';
import { PEERS, type PeerLibrary, peerComparisons } from './peers.js';
import { benchMeterProvider, cycle, inSampledSpan, wrapperVsDecoratorTasks } from './support.js';

export const TYPES: readonly string[] = [
  'order.created',
  'order.paid',
  'user.signup',
  'stock.adjusted',
];
/** 10,000 event types: the realistic-cardinality case (each side's series maps hold 10k entries). */
export const MANY_TYPES: readonly string[] = Array.from(
  { length: 10_000 },
  (_, i) => `order.event.${i}`,
);

/** Hand-written OTel calls recording what one handled event records: its duration (whose count is the events). */
export function rawOtelTask(types = TYPES): Task {
  const meter = benchMeterProvider().getMeter('raw');
  const typeOf = cycle(types);
  const duration = meter.createHistogram('event.processing.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...EVENT_DURATION_BUCKETS] },
  });
  return [
    'raw OTel calls',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const type = typeOf();
        const start = performance.now();
        const seconds = (performance.now() - start) / 1000;
        duration.record(seconds, { 'event.type': type, outcome: 'success' });
      }
    },
  ];
}

export function opmeterStartEndTask(label: string, withStats: boolean, types = TYPES): Task {
  const typeOf = cycle(types);
  const events = new EventInstrumentation({
    meterProvider: benchMeterProvider(),
    maxEventTypes: types.length,
    ...(withStats ? { stats: new SessionStats() } : {}),
  });
  return [
    label,
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) events.start(typeOf()).end();
    },
  ];
}

function decoratorTasks(): [Task, Task] {
  const events = new EventInstrumentation({ meterProvider: benchMeterProvider() });
  const wrapped = events.wrap('order.created', (n: number) => n + 1);
  class Handlers {
    @events.measure('order.created')
    onOrderCreated(n: number) {
      return n + 1;
    }
  }
  const handlers = new Handlers();
  return wrapperVsDecoratorTasks(
    (n) => wrapped(n),
    (n) => handlers.onOrderCreated(n),
  );
}

/** What one handled event records, through a Prometheus client library's own instruments. */
export function peerTask(peer: PeerLibrary, types = TYPES): Task {
  const typeOf = cycle(types);
  const registry = peer.registry();
  const duration = registry.histogram(
    'event_processing_duration_seconds',
    ['event_type', 'outcome'],
    EVENT_DURATION_BUCKETS,
  );
  const processed = registry.counter('event_processed_total', ['event_type']);
  return [
    peer.name,
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const type = typeOf();
        const start = performance.now();
        const seconds = (performance.now() - start) / 1000;
        duration.observe({ event_type: type, outcome: 'success' }, seconds);
        processed.inc({ event_type: type });
      }
    },
  ];
}

/**
 * The least an event op can cost through the OTel SDK: one histogram record of a cached
 * attribute set per event, timed with two clock reads (what opmeter records, without opmeter).
 */
function sdkRecordFloorTask(): Task {
  const typeOf = cycle(TYPES);
  const duration = benchMeterProvider()
    .getMeter('floor')
    .createHistogram('event.processing.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [...EVENT_DURATION_BUCKETS] },
    });
  const attributes = new Map(
    TYPES.map((type) => [type, { 'event.type': type, outcome: 'success' }]),
  );
  return [
    'one SDK histogram record',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const set = attributes.get(typeOf());
        const start = performance.now();
        duration.record((performance.now() - start) / 1000, set);
      }
    },
  ];
}

function mapFloorTask(): Task {
  const typeOf = cycle(TYPES);
  const sums = new Map<string, number>();
  return [
    'Map increment floor',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const type = typeOf();
        const start = performance.now();
        sums.set(type, (sums.get(type) ?? 0) + performance.now() - start);
      }
    },
  ];
}

/** The peer the event-op target names. */
const PROM_CLIENT = peerNamed('prom-client');

function peerNamed(name: string): PeerLibrary {
  const peer = PEERS.find((candidate) => candidate.name === name);
  if (peer === undefined) throw new Error(`no peer library named ${name}`);
  return peer;
}

/** Runs the event-operation benchmarks and returns their comparisons. */
export async function run(): Promise<Comparison[]> {
  return [
    await compare(
      'event op: opmeter vs raw OTel',
      rawOtelTask(),
      opmeterStartEndTask('opmeter start()/end()', false),
      1.15,
    ),
    await compare(
      'event op + stats vs raw OTel',
      rawOtelTask(),
      opmeterStartEndTask('opmeter + stats', true),
      1.3,
    ),
    await compare('event op: decorator vs wrapper', ...decoratorTasks(), 1.05),
    await inSampledSpan(() =>
      compare(
        'event op in a sampled span: opmeter vs raw OTel',
        rawOtelTask(),
        opmeterStartEndTask('opmeter, exemplars kept', false),
      ),
    ),
    ...(await peerComparisons('event op', rawOtelTask, peerTask)),
    await compare(
      'event op, 10k types: opmeter vs raw OTel',
      rawOtelTask(MANY_TYPES),
      opmeterStartEndTask('opmeter start()/end()', false, MANY_TYPES),
      1.15,
    ),
    ...(await peerComparisons(
      'event op, 10k types',
      () => rawOtelTask(MANY_TYPES),
      (peer) => peerTask(peer, MANY_TYPES),
    )),
    await compare('event op: Map floor vs raw OTel', rawOtelTask(), mapFloorTask()),
    await compare(
      'event op: opmeter vs prom-client',
      peerTask(PROM_CLIENT),
      opmeterStartEndTask('opmeter start()/end()', false),
      1.0,
    ),
    await compare(
      'event op: SDK floor vs prom-client',
      peerTask(PROM_CLIENT),
      sdkRecordFloorTask(),
    ),
  ];
}

if (isEntryPoint(import.meta.url)) console.log(comparisonTable(await run()));
