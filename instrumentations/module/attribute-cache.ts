import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_OPMETER_MODULE,
  ATTR_OPMETER_OPERATION,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';

/** The attribute objects shared by every operation of one (operation, package) pair. */
export interface OperationAttributes {
  readonly attributes: Attributes;
  readonly successAttributes: Attributes;
}

const MAX_CACHED = 1000;

/**
 * Reuses attribute objects for the (operation, package) pairs that recur, so starting and ending
 * an operation allocates none. Bounded: past {@link MAX_CACHED} pairs, objects are built per call.
 */
export class AttributeCache {
  private readonly byKey = new Map<string, OperationAttributes>();

  /** Creates a cache for the operations of `module`. */
  constructor(private readonly module: string) {}

  /** The attribute objects of `operation` in `pkg`. */
  get(operation: string, pkg: string): OperationAttributes {
    const key = `${operation}\u0000${pkg}`;
    const cached = this.byKey.get(key);
    if (cached !== undefined) return cached;
    const attributes: Attributes = {
      [ATTR_OPMETER_MODULE]: this.module,
      [ATTR_OPMETER_OPERATION]: operation,
      [ATTR_PACKAGE]: pkg,
    };
    const built = {
      attributes,
      successAttributes: { ...attributes, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS },
    };
    if (this.byKey.size < MAX_CACHED) this.byKey.set(key, built);
    return built;
  }
}
