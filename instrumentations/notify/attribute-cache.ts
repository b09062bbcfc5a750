import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_NOTIFY_CHANNEL,
  ATTR_NOTIFY_CODE,
  ATTR_NOTIFY_DELIVERY_OUTCOME,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  DELIVERY_OUTCOME_VALUE_DELIVERED,
  DELIVERY_OUTCOME_VALUE_FAILED,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_PARTIAL,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';
import type { NotifyChannel } from './types.js';

/** Distinct (code, package, channel) sets kept; past it, attribute objects are built per send. */
export const MAX_CACHED_ATTRIBUTE_SETS = 1024;

/** Every attribute object one (code, package, channel) needs, built once and reused. */
export interface NotifyAttributes {
  /** `notify.code`, `package`, `notify.channel`. */
  readonly base: Attributes;
  readonly success: Attributes;
  readonly partial: Attributes;
  /** Failure without `error.type` (added per failed send). */
  readonly failure: Attributes;
  readonly delivered: Attributes;
  readonly failed: Attributes;
  /** `package` and `notify.channel`: a queue is shared by every code of a channel. */
  readonly queue: Attributes;
}

/** A bounded cache of {@link NotifyAttributes}, so the hot path allocates no attribute objects. */
export class NotifyAttributeCache {
  private readonly sets = new Map<string, NotifyAttributes>();

  /** The attribute objects of (`code`, `pkg`, `channel`). */
  get(code: string, pkg: string, channel: NotifyChannel): NotifyAttributes {
    const key = `${code}\u0000${pkg}\u0000${channel}`;
    const cached = this.sets.get(key);
    if (cached !== undefined) return cached;
    const built = build(code, pkg, channel);
    if (this.sets.size < MAX_CACHED_ATTRIBUTE_SETS) this.sets.set(key, built);
    return built;
  }
}

function build(code: string, pkg: string, channel: NotifyChannel): NotifyAttributes {
  const base: Attributes = {
    [ATTR_NOTIFY_CODE]: code,
    [ATTR_PACKAGE]: pkg,
    [ATTR_NOTIFY_CHANNEL]: channel,
  };
  return {
    base,
    success: { ...base, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS },
    partial: { ...base, [ATTR_OUTCOME]: OUTCOME_VALUE_PARTIAL },
    failure: { ...base, [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE },
    delivered: { ...base, [ATTR_NOTIFY_DELIVERY_OUTCOME]: DELIVERY_OUTCOME_VALUE_DELIVERED },
    failed: { ...base, [ATTR_NOTIFY_DELIVERY_OUTCOME]: DELIVERY_OUTCOME_VALUE_FAILED },
    queue: { [ATTR_PACKAGE]: pkg, [ATTR_NOTIFY_CHANNEL]: channel },
  };
}
