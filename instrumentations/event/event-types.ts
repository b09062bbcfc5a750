import type { Attributes } from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { MAX_ATTRIBUTE_VALUE_LENGTH } from '../../src/core/input-guard.js';
import {
  ADJUSTMENT_CARDINALITY_LIMIT,
  ATTR_ERROR_TYPE,
  ATTR_EVENT_TYPE,
  ATTR_OUTCOME,
  EVENT_TYPE_VALUE_OTHER,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';

/** Attribute sets of one failure `error.type` of one event type. */
export interface FailureAttributes {
  /** `event.type`, `outcome=failure`, `error.type`: for the latency histogram. */
  readonly duration: Attributes;
  /** `event.type`, `error.type`: for `event.errors`. */
  readonly errors: Attributes;
}

/**
 * Everything opmeter keeps per event type: the sanitised name and its attribute objects, built
 * once and shared by every event of that type (also the per-operation fields of the recorder).
 * The attribute objects are read-only by type, not frozen: the SDK hashes a frozen object on
 * every record at almost twice the instructions of a plain one.
 */
export class EventType {
  /** `{event.type}`: for the received, ignored and unhandled counters. */
  readonly attributes: Attributes;
  /** `{event.type, outcome=success}`: for the latency histogram. */
  readonly success: Attributes;
  private readonly failures = new Map<string, FailureAttributes>();

  /** Builds the attribute objects of the (already sanitised) event type `name`. */
  constructor(
    readonly name: string,
    private readonly maxErrorTypes: number,
    private readonly guard: InputGuard,
  ) {
    this.attributes = { [ATTR_EVENT_TYPE]: name };
    this.success = { [ATTR_EVENT_TYPE]: name, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS };
  }

  /** The attribute sets of a failure with `errorType`; past the cap, those of `_OTHER`. */
  failure(errorType: string): FailureAttributes {
    const known = this.failures.get(errorType);
    if (known !== undefined) return known;
    let key = errorType;
    if (this.failures.size >= this.maxErrorTypes) {
      this.guard.count(ATTR_ERROR_TYPE, ADJUSTMENT_CARDINALITY_LIMIT);
      key = EVENT_TYPE_VALUE_OTHER;
      const other = this.failures.get(key);
      if (other !== undefined) return other;
    }
    const created: FailureAttributes = {
      duration: {
        [ATTR_EVENT_TYPE]: this.name,
        [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE,
        [ATTR_ERROR_TYPE]: key,
      },
      errors: { [ATTR_EVENT_TYPE]: this.name, [ATTR_ERROR_TYPE]: key },
    };
    this.failures.set(key, created);
    return created;
  }
}

/**
 * The bounded set of event types seen so far. A known type costs one Map lookup; a new type is
 * checked once (non-strings stringified, long strings truncated, both counted by the guard).
 * Past `maxTypes` distinct types, every new type is recorded as `_OTHER` and counted on
 * `opmeter.input.adjusted{opmeter.field="event.type",opmeter.reason="cardinality_limit"}`.
 */
export class EventTypeRegistry {
  private readonly types = new Map<string, EventType>();
  private other: EventType | undefined;

  /** Creates an empty registry holding at most `maxTypes` types (plus `_OTHER`). */
  constructor(
    private readonly guard: InputGuard,
    private readonly maxTypes: number,
    private readonly maxErrorTypes: number,
  ) {}

  /** The entry of event type `type` (any value: bad input is corrected and counted). */
  get(type: unknown): EventType {
    return this.types.get(type as string) ?? this.admit(type);
  }

  private admit(type: unknown): EventType {
    let name = type as string;
    if (typeof type !== 'string' || type.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      name = this.guard.text(type, ATTR_EVENT_TYPE);
      const known = this.types.get(name);
      if (known !== undefined) return known;
    }
    if (this.types.size >= this.maxTypes) {
      this.guard.count(ATTR_EVENT_TYPE, ADJUSTMENT_CARDINALITY_LIMIT);
      this.other ??= new EventType(EVENT_TYPE_VALUE_OTHER, this.maxErrorTypes, this.guard);
      return this.other;
    }
    const created = new EventType(name, this.maxErrorTypes, this.guard);
    this.types.set(name, created);
    return created;
  }
}
