import { context, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DefMetricRow, RowSink } from '../src/core/row-sink.js';
import { OPS_PER_ITERATION, type Task } from './harness.js';

/** A pull reader that never exports: instruments aggregate exactly as under a real exporter. */
class IdleReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A reader that collects only when asked, with room for the 10k-series cases (the SDK's default limit is 2000 series per instrument). */
export function benchReader(): MetricReader {
  return new IdleReader({ cardinalitySelector: () => 20_000 });
}

/** A fresh SDK MeterProvider with one reader (`reader`), so each side of a comparison has its own state. */
export function benchMeterProvider(reader = benchReader()): MeterProvider {
  return new MeterProvider({ readers: [reader] });
}

/** A bounded ring of rows: the O(1) enqueue a row sink promises, without the database. */
export class RingRowSink implements RowSink {
  private readonly rows: (DefMetricRow | undefined)[];
  private next = 0;
  /** Creates a ring of `capacity` rows. */
  constructor(capacity = 4096) {
    this.rows = new Array(capacity);
  }
  /** Stores the row, overwriting the oldest when full. */
  enqueue(_table: string, row: DefMetricRow): void {
    this.rows[this.next] = row;
    this.next = (this.next + 1) % this.rows.length;
  }
}

/** About one microsecond of CPU work that the optimiser cannot remove. */
export function microsecondOfWork(seed: number): number {
  let x = seed;
  for (let i = 0; i < 220; i++) x = (x * 1103515245 + 12345) % 2147483647;
  return x;
}

let sunk = 0;

/** Keeps a computed value observable so the optimiser cannot drop the work that produced it. */
export function consume(value: number): void {
  sunk ^= value;
}

/** The folded value of everything consumed (printed by nobody; it exists to be observable). */
export function consumed(): number {
  return sunk;
}

/** Tasks calling a wrapped function and a decorated method the same way, for a like-for-like ratio. */
export function wrapperVsDecoratorTasks(
  wrapped: (n: number) => number,
  decorated: (n: number) => number,
): [Task, Task] {
  return [
    [
      'wrap()',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) consume(wrapped(i));
      },
    ],
    [
      '@measure() decorator',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) consume(decorated(i));
      },
    ],
  ];
}

/** The span context every "in a sampled span" variant runs in. */
const SAMPLED_SPAN = trace.wrapSpanContext({
  traceId: '5b8aa5a2d2c872e8321cf37308d69df2',
  spanId: '051581bf3cb55c13',
  traceFlags: TraceFlags.SAMPLED,
});

/**
 * Runs `measure` with a sampled span active, as a traced request handler records: an
 * AsyncLocalStorage context manager (NodeSDK's) is registered for its duration and removed after.
 */
export async function inSampledSpan<T>(measure: () => Promise<T>): Promise<T> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  try {
    return await context.with(trace.setSpan(context.active(), SAMPLED_SPAN), measure);
  } finally {
    context.disable();
  }
}

/** Cycles through `items`, one per call, the same way on every side of a comparison. */
export function cycle<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => {
    const item = items[next] as T;
    next = next + 1 === items.length ? 0 : next + 1;
    return item;
  };
}
