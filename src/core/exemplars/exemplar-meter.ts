import {
  type Attributes,
  type Context,
  type Counter,
  context,
  type Histogram,
  isSpanContextValid,
  type Meter,
  type MetricOptions,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { ExemplarReservoir } from './reservoir.js';

/**
 * Wraps `meter` so that every measurement of its histograms and counters recorded inside a span
 * (the `context` passed, else the active one) is offered to `reservoir` as an exemplar. Without an
 * active span the added cost is one context lookup; other instruments are the meter's own. A
 * measurement the SDK would drop (non-finite, a negative counter increment) keeps no exemplar, and
 * nothing about exemplars ever throws into the caller.
 */
export function withExemplars(meter: Meter, reservoir: ExemplarReservoir): Meter {
  return {
    createHistogram(name: string, options?: MetricOptions): Histogram {
      const histogram = meter.createHistogram(name, options);
      reservoir.declare(name, options?.advice?.explicitBucketBoundaries);
      return {
        record(value: number, attributes?: Attributes, ctx?: Context): void {
          // One context lookup serves both: the SDK would otherwise look up the active one again.
          const active = ctx ?? context.active();
          histogram.record(value, attributes, active);
          capture(reservoir, name, value, attributes, active);
        },
      };
    },
    createCounter(name: string, options?: MetricOptions): Counter {
      const counter = meter.createCounter(name, options);
      reservoir.declare(name, undefined);
      return {
        add(value: number, attributes?: Attributes, ctx?: Context): void {
          const active = ctx ?? context.active();
          counter.add(value, attributes, active);
          if (value >= 0) capture(reservoir, name, value, attributes, active); // the SDK drops negatives
        },
      };
    },
    createGauge: meter.createGauge.bind(meter),
    createUpDownCounter: meter.createUpDownCounter.bind(meter),
    createObservableGauge: meter.createObservableGauge.bind(meter),
    createObservableCounter: meter.createObservableCounter.bind(meter),
    createObservableUpDownCounter: meter.createObservableUpDownCounter.bind(meter),
    addBatchObservableCallback: meter.addBatchObservableCallback.bind(meter),
    removeBatchObservableCallback: meter.removeBatchObservableCallback.bind(meter),
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

function capture(
  reservoir: ExemplarReservoir,
  name: string,
  value: number,
  attributes: Attributes | undefined,
  ctx: Context,
): void {
  const filter = reservoir.filter;
  if (filter === 'always_off' || !Number.isFinite(value)) return;
  try {
    const span = trace.getSpan(ctx);
    if (span === undefined) return;
    const spanContext = span.spanContext();
    if (!isSpanContextValid(spanContext)) return;
    if (filter === 'trace_based' && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
    reservoir.offer(name, attributes ?? NO_ATTRIBUTES, value, spanContext);
  } catch {
    // A context or attributes object that throws when read loses its exemplar, never the caller.
  }
}
