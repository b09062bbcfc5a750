import type { OperationHandle } from '../../src/core/operation-handle.js';
import type { OperationConfig } from '../../src/core/operation-instrumentation.js';
import type { EventType } from './event-types.js';
import type {
  SEQUENCE_OUTCOME_VALUE_DUPLICATE,
  SEQUENCE_OUTCOME_VALUE_FIRST,
  SEQUENCE_OUTCOME_VALUE_GAP,
  SEQUENCE_OUTCOME_VALUE_IN_ORDER,
  SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER,
  SEQUENCE_OUTCOME_VALUE_RESET,
  SEQUENCE_OUTCOME_VALUE_UNTRACKED,
} from './semconv.js';

/**
 * Configuration of {@link EventInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `enabled`, and `buckets` / `slo` of `event.processing.duration`: `'default'` is {@link
 * EVENT_DURATION_BUCKETS}, `'fine'` {@link EVENT_DURATION_BUCKETS_FINE}) and the caps, each a
 * positive integer.
 */
export interface EventInstrumentationConfig extends Omit<OperationConfig, 'defaultPackage'> {
  /** Distinct event types kept; later ones are recorded as `_OTHER`. Default 1000. */
  maxEventTypes?: number;
  /** Distinct `error.type` values kept per event type; later ones become `_OTHER`. Default 32. */
  maxErrorTypes?: number;
  /** Sequenced streams tracked by `trackSequence()`; later ones are counted, not stored. Default 1000. */
  maxStreams?: number;
  /** Largest forward jump counted as a gap; a larger one is a `reset`. Default 100 000. */
  maxSequenceGap?: number;
}

/** One event being processed: end it with `end()` or `fail(error)`. */
export type EventHandle = OperationHandle<EventType>;

/**
 * What `trackSequence()` found: `first`, `in_order`, `gap` (numbers were skipped), `duplicate`,
 * `out_of_order` (a late number within the reorder window), `reset` (far behind or far ahead:
 * tracking restarts there) or `untracked` (not examined: recording off, stream cap, bad number).
 */
export type SequenceOutcome =
  | typeof SEQUENCE_OUTCOME_VALUE_FIRST
  | typeof SEQUENCE_OUTCOME_VALUE_IN_ORDER
  | typeof SEQUENCE_OUTCOME_VALUE_GAP
  | typeof SEQUENCE_OUTCOME_VALUE_DUPLICATE
  | typeof SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER
  | typeof SEQUENCE_OUTCOME_VALUE_RESET
  | typeof SEQUENCE_OUTCOME_VALUE_UNTRACKED;
