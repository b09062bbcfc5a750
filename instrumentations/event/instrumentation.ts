import { EVENT_DURATION_PRESETS } from '../../src/core/buckets.js';
import { positiveIntegers } from '../../src/core/config-validation.js';
import { errorTypeOf } from '../../src/core/error-classification.js';
import { MeasuringInstrumentation } from '../../src/core/measuring-instrumentation.js';
import { OperationHandle } from '../../src/core/operation-handle.js';
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
export class EventInstrumentation extends MeasuringInstrumentation<
  EventType,
  EventHandle,
  object,
  EventInstrumentationConfig,
  EventMetrics
> {
  private readonly types: EventTypeRegistry;
  private readonly sequences: SequenceTracker;
  protected override readonly constructionOptions = Object.keys(CAPS) as (keyof typeof CAPS)[];
  private readonly queueDepth: ObservedGauge;
  private readonly connections: ObservedGauge;

  /** Creates the event instruments; invalid buckets, SLOs or caps throw here. */
  constructor(config: EventInstrumentationConfig = {}) {
    const caps = positiveIntegers('EventInstrumentation', config, CAPS);
    super(new EventMetrics(), EVENT_DURATION_PRESETS, config);
    const guard = this.recorder.guard;
    const enabled = () => this.isEnabled;
    this.types = new EventTypeRegistry(guard, caps.maxEventTypes, caps.maxErrorTypes);
    this.sequences = new SequenceTracker(this.meter, guard, caps.maxStreams, caps.maxSequenceGap);
    this.queueDepth = new ObservedGauge(this.meter, QUEUE_DEPTH_GAUGE, guard, enabled);
    this.connections = new ObservedGauge(this.meter, CONNECTIONS_GAUGE, guard, enabled);
  }

  /** Starts processing one event of `type`; end it with `end()` or `fail(error)`. */
  start(type: string): EventHandle {
    const entry = this.types.get(type);
    return new OperationHandle(this.recorder, entry.name, entry);
  }

  /** Counts one event of `type` as received (call it when the event arrives, before dispatch). */
  received(type: string): void {
    if (this.recorder.isLive()) this.metrics.received.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` as deliberately not processed (filtered, not applicable). */
  ignored(type: string): void {
    if (this.recorder.isLive()) this.metrics.ignored.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` that no handler exists for. */
  unhandled(type: string): void {
    if (this.recorder.isLive()) this.metrics.unhandled.add(1, this.types.get(type).attributes);
  }

  /** Counts one event of `type` that failed outside a measured handler (e.g. it did not decode). */
  failed(type: string, error: unknown): void {
    if (!this.recorder.isLive()) return;
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

  protected override updateMetricInstruments(): void {
    super.updateMetricInstruments();
    this.sequences.bind(this.meter);
    this.queueDepth.bind(this.meter);
    this.connections.bind(this.meter);
  }
}

const QUEUE_DEPTH_GAUGE: ObservedGaugeSpec = {
  name: METRIC_EVENT_QUEUE_DEPTH,
  description: 'Events waiting in a queue, read when metrics are collected',
  unit: '{event}',
  labelKey: ATTR_EVENT_QUEUE,
  method: 'observeQueueDepth',
};

const CONNECTIONS_GAUGE: ObservedGaugeSpec = {
  name: METRIC_EVENT_CONNECTIONS,
  description: 'Open client connections (websocket, SSE, …), read when metrics are collected',
  unit: '{connection}',
  labelKey: ATTR_EVENT_CONNECTION_KIND,
  method: 'observeConnections',
};

/** The caps of an event instrumentation and their defaults; each must be a positive integer. */
const CAPS = {
  maxEventTypes: DEFAULT_MAX_EVENT_TYPES,
  maxErrorTypes: DEFAULT_MAX_ERROR_TYPES,
  maxStreams: DEFAULT_MAX_STREAMS,
  maxSequenceGap: DEFAULT_MAX_SEQUENCE_GAP,
} as const;
