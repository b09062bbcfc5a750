import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { ERROR_TYPE_OTHER } from '../../src/core/error-classification.js';
import { durationHistogram } from '../../src/core/instruments.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import type { EventType } from './event-types.js';
import {
  METRIC_EVENT_ERRORS,
  METRIC_EVENT_IGNORED,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_EVENT_RECEIVED,
  METRIC_EVENT_UNHANDLED,
} from './semconv.js';

/**
 * The event domain's per-event instruments, and how a handled event lands on them: one histogram
 * call per event that succeeds (its count by `outcome=success` is the events processed), plus
 * `event.errors` for one that fails. No memory read and no def_metric table: an event is too
 * small for either.
 */
export class EventMetrics implements OperationDomain<EventType> {
  readonly name = 'event';
  readonly readsMemory = false;
  /** Counter of events received. */
  received!: Counter;
  /** Counter of events deliberately ignored. */
  ignored!: Counter;
  /** Counter of events without a handler. */
  unhandled!: Counter;
  /** Counter of events whose handling failed. */
  errors!: Counter;
  private duration!: Histogram;

  /** Creates the event instruments on `meter`, with `boundaries` for the latency histogram. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.duration = durationHistogram(
      meter,
      METRIC_EVENT_PROCESSING_DURATION,
      'Time spent processing one event, by event type and outcome',
      boundaries,
    );
    this.received = meter.createCounter(METRIC_EVENT_RECEIVED, {
      description: 'Events received, before any handling, by event type',
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

  /** Records a handled event on the latency histogram, and a failed one on `errors`. */
  record(event: EndedOperation<EventType>): void {
    const type = event.fields;
    if (event.success) {
      this.duration.record(event.durationSeconds, type.success);
      return;
    }
    const failure = type.failure(event.errorType ?? ERROR_TYPE_OTHER);
    this.duration.record(event.durationSeconds, failure.duration);
    this.errors.add(1, failure.errors);
  }
}
