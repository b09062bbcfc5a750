import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { ERROR_TYPE_OTHER } from '../../src/core/error-classification.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import type { EventType } from './event-types.js';
import {
  METRIC_EVENT_ERRORS,
  METRIC_EVENT_IGNORED,
  METRIC_EVENT_PROCESSED,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_EVENT_RECEIVED,
  METRIC_EVENT_UNHANDLED,
} from './semconv.js';

/**
 * The event domain's per-event instruments, and how a handled event lands on them. Every event
 * ends in exactly one of `event.processed`, `event.errors`, `event.ignored` or `event.unhandled`.
 * No memory read and no def_metric table: an event is too small for either.
 */
export class EventMetrics implements OperationDomain<EventType> {
  readonly name = 'event';
  readonly readsMemory = false;
  /** Counter of events received. */
  readonly received: Counter;
  /** Counter of events handled successfully. */
  readonly processed: Counter;
  /** Counter of events deliberately ignored. */
  readonly ignored: Counter;
  /** Counter of events without a handler. */
  readonly unhandled: Counter;
  /** Counter of events whose handling failed. */
  readonly errors: Counter;
  private readonly duration: Histogram;

  /** Creates the event instruments on `meter`, with `boundaries` for the latency histogram. */
  constructor(meter: Meter, boundaries: number[]) {
    this.duration = meter.createHistogram(METRIC_EVENT_PROCESSING_DURATION, {
      description: 'Time spent processing one event, by event type and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: boundaries },
    });
    this.received = meter.createCounter(METRIC_EVENT_RECEIVED, {
      description: 'Events received, before any handling, by event type',
      unit: '{event}',
    });
    this.processed = meter.createCounter(METRIC_EVENT_PROCESSED, {
      description: 'Events whose handler succeeded, by event type',
      unit: '{event}',
    });
    this.ignored = meter.createCounter(METRIC_EVENT_IGNORED, {
      description: 'Events deliberately not processed, by event type',
      unit: '{event}',
    });
    this.unhandled = meter.createCounter(METRIC_EVENT_UNHANDLED, {
      description: 'Events of a type no handler exists for, by event type',
      unit: '{event}',
    });
    this.errors = meter.createCounter(METRIC_EVENT_ERRORS, {
      description: 'Events whose handling failed, by event type and error type',
      unit: '{event}',
    });
  }

  /** Records a handled event on the latency histogram and on `processed` or `errors`. */
  record(event: EndedOperation<EventType>): void {
    const type = event.fields;
    if (event.success) {
      this.duration.record(event.durationSeconds, type.success);
      this.processed.add(1, type.attributes);
      return;
    }
    const failure = type.failure(event.errorType ?? ERROR_TYPE_OTHER);
    this.duration.record(event.durationSeconds, failure.duration);
    this.errors.add(1, failure.errors);
  }
}
