import type { Attributes } from '@opentelemetry/api';
import { SeriesCache } from '../../src/core/series-cache.js';
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
export class NotifyAttributeCache extends SeriesCache<NotifyAttributes> {
  /** Creates an empty cache keyed by (code, package, channel). */
  constructor() {
    super(
      build as (code: string, pkg: string, channel: string) => NotifyAttributes,
      MAX_CACHED_ATTRIBUTE_SETS,
    );
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
