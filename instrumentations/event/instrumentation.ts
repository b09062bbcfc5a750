import { EVENT_DURATION_PRESETS, resolveBuckets } from '../../src/core/buckets.js';
import { type MethodDecorator, measuringDecorator } from '../../src/core/decorate.js';
import { errorTypeOf } from '../../src/core/error-classification.js';
import { meterFor } from '../../src/core/instrumentation-options.js';
import { OperationHandle } from '../../src/core/operation-handle.js';
import { OperationRecorder } from '../../src/core/operation-recorder.js';
import { isRecordingEnabled } from '../../src/core/switch.js';
import { EventMetrics } from './event-metrics.js';
import { type EventType, EventTypeRegistry } from './event-types.js';
import { type GaugeReader, ObservedGauge, type ObservedGaugeSpec } from './observed-gauge.js';
import {
  ATTR_EVENT_CONNECTION_KIND,
  ATTR_EVENT_QUEUE,
  DEFAULT_MAX_ERROR_TYPES,
  DEFAULT_MAX_EVENT_TYPES,
  DEFAULT_MAX_SEQUENCE_GAP,
  DEFAULT_MAX_STREAMS,
  METRIC_EVENT_CONNECTIONS,
  METRIC_EVENT_QUEUE_DEPTH,
} from './semconv.js';
import { SequenceTracker } from './sequence-tracker.js';
import type { EventHandle, EventInstrumentationConfig, SequenceOutcome } from './types.js';

/**
 * Measures event processing, the hot path of opmeter: latency by event type, events received,
 * processed, ignored, unhandled and failed, queue depth and connection gauges, and sequence gaps.
 * Three equivalent ways to measure a handler: `run()` / `wrap()`, an explicit handle from
 * `start()`, and the `@measure()` decorator. Attribute objects are built once per event type.
 *
 * @example
 * const events = new EventInstrumentation(await startMetrics({ prometheus: true }));
 * events.received(type);
 * await events.run(type, () => handle(payload));
 */
export class EventInstrumentation {
  private readonly metrics: EventMetrics;
  private readonly recorder: OperationRecorder<EventType>;
  private readonly types: EventTypeRegistry;
  private readonly sequences: SequenceTracker;
  private readonly queueDepth: ObservedGauge;
  private readonly connections: ObservedGauge;

  /** Creates the event instruments; invalid buckets, SLOs or caps throw here. */
  constructor(config: EventInstrumentationConfig = {}) {
    const caps = capsOf(config);
    const meter = meterFor('event', config);
    const boundaries = resolveBuckets(config.buckets, EVENT_DURATION_PRESETS, config.slo);
    this.metrics = new EventMetrics(meter, boundaries);
    this.recorder = new OperationRecorder(this.metrics, meter, config);
    const guard = this.recorder.guard;
    this.types = new EventTypeRegistry(guard, caps.maxEventTypes, caps.maxErrorTypes);
    this.sequences = new SequenceTracker(meter, guard, caps.maxStreams, caps.maxSequenceGap);
    this.queueDepth = new ObservedGauge(meter, QUEUE_DEPTH_GAUGE, guard);
    this.connections = new ObservedGauge(meter, CONNECTIONS_GAUGE, guard);
  }

  /** Starts processing one event of `type`; end it with `end()` or `fail(error)`. */
  start(type: string): EventHandle {
    const entry = this.types.get(type);
    return new OperationHandle(this.recorder, entry.name, entry);
  }

  /** Runs `fn` as the processing of one event of `type` (sync or async) and returns its result. */
  run<R>(type: string, fn: (event: EventHandle) => R): R {
    const event = this.start(type);
    return this.recorder.invoke(event, fn, undefined, [event]);
  }

  /**
   * Returns `fn` wrapped so that every call is the processing of one event of `type`. The type
   * is resolved (and guarded) once, here; with recording off, `fn` is called directly.
   */
  wrap<A extends unknown[], R>(type: string, fn: (...args: A) => R): (...args: A) => R {
    const call = this.caller(type);
    return function (this: unknown, ...args: A): R {
      return call(fn, this, args);
    };
  }

  /** A TC39 method decorator: every call of the method is the processing of one event of `type`. */
  measure(type: string): MethodDecorator {
    return measuringDecorator('measure', this.caller(type));
  }

  /** Counts one event of `type` as received (call it when the event arrives, before dispatch). */
  received(type: string): void {
    if (isRecordingEnabled()) this.metrics.received.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` as deliberately not processed (filtered, not applicable). */
  ignored(type: string): void {
    if (isRecordingEnabled()) this.metrics.ignored.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` that no handler exists for. */
  unhandled(type: string): void {
    if (isRecordingEnabled()) this.metrics.unhandled.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` that failed outside a measured handler (e.g. it did not decode). */
  failed(type: string, error: unknown): void {
    if (!isRecordingEnabled()) return;
    this.metrics.errors.add(1, this.types.get(type).failure(errorTypeOf(error)).errors);
  }

  /**
   * Checks sequence number `seq` of `stream` against the numbers seen before: skipped numbers
   * are added to `event.sequence.gaps`, duplicates, late numbers and resets are counted on
   * `event.sequence.anomalies`. Returns what it found; never throws.
   */
  trackSequence(stream: string, seq: number): SequenceOutcome {
    return this.sequences.track(stream, seq);
  }

  /** Stops tracking the sequence numbers of `stream`, freeing its slot; true if it was tracked. */
  forgetStream(stream: string): boolean {
    return this.sequences.forget(stream);
  }

  /**
   * Reports `read()` as `event.queue.depth{event.queue=queue}` whenever metrics are collected.
   * @returns a function that stops observing it.
   */
  observeQueueDepth(read: GaugeReader, queue = 'default'): () => void {
    return this.queueDepth.add(queue, read);
  }

  /**
   * Reports `read()` as `event.connections{event.connection.kind=kind}` whenever metrics are
   * collected. @returns a function that stops observing it.
   */
  observeConnections(read: GaugeReader, kind = 'websocket'): () => void {
    return this.connections.add(kind, read);
  }

  private caller(type: string) {
    const entry = this.types.get(type);
    const recorder = this.recorder;
    return <A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, args: A): R => {
      if (!isRecordingEnabled()) return fn.apply(thisArg, args);
      return recorder.invoke(new OperationHandle(recorder, entry.name, entry), fn, thisArg, args);
    };
  }
}

const QUEUE_DEPTH_GAUGE: ObservedGaugeSpec = {
  name: METRIC_EVENT_QUEUE_DEPTH,
  description: 'Events waiting in a queue, read when metrics are collected',
  unit: '{event}',
  labelKey: ATTR_EVENT_QUEUE,
};

const CONNECTIONS_GAUGE: ObservedGaugeSpec = {
  name: METRIC_EVENT_CONNECTIONS,
  description: 'Open client connections (websocket, SSE, …), read when metrics are collected',
  unit: '{connection}',
  labelKey: ATTR_EVENT_CONNECTION_KIND,
};

/** The caps of `config`, defaulted; throws when one is not a positive integer. */
function capsOf(config: EventInstrumentationConfig) {
  return {
    maxEventTypes: positiveInteger(config.maxEventTypes, DEFAULT_MAX_EVENT_TYPES, 'maxEventTypes'),
    maxErrorTypes: positiveInteger(config.maxErrorTypes, DEFAULT_MAX_ERROR_TYPES, 'maxErrorTypes'),
    maxStreams: positiveInteger(config.maxStreams, DEFAULT_MAX_STREAMS, 'maxStreams'),
    maxSequenceGap: positiveInteger(
      config.maxSequenceGap,
      DEFAULT_MAX_SEQUENCE_GAP,
      'maxSequenceGap',
    ),
  };
}

function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new RangeError(
    `EventInstrumentation: ${option} must be a positive integer, got ${String(value)}; ` +
      `omit it to use the default ${fallback}`,
  );
}
