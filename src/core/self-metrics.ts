/** Counter of inputs opmeter corrected or rejected instead of throwing (see README "Bad input"). */
export const METRIC_OPMETER_INPUT_ADJUSTED = 'opmeter.input.adjusted';
/** Counter of internal failures swallowed so that a user's operation never fails because of metrics. */
export const METRIC_OPMETER_INTERNAL_ERRORS = 'opmeter.internal.errors';

/** Domain that saw the input (`workflow`, `event`, …). */
export const ATTR_OPMETER_DOMAIN = 'opmeter.domain';
/** Field that was adjusted (`duration`, `items`, `workflow.code`, …). */
export const ATTR_OPMETER_FIELD = 'opmeter.field';
/** What was done about it: one of the `ADJUSTMENT_*` values. */
export const ATTR_OPMETER_REASON = 'opmeter.reason';

/** A NaN or ±Infinity number, replaced by 0. */
export const ADJUSTMENT_NOT_FINITE = 'not_finite';
/** A negative duration or count, clamped to 0. */
export const ADJUSTMENT_NEGATIVE = 'negative';
/** A non-string attribute value, converted with `String()`. */
export const ADJUSTMENT_NOT_A_STRING = 'not_a_string';
/** The text of a non-string value that has no string form (null prototype, a throwing `toString`). */
export const UNPRINTABLE_VALUE = '_UNPRINTABLE';
/** An attribute value longer than the limit, truncated. */
export const ADJUSTMENT_TRUNCATED = 'truncated';
/** An operation ended twice; the second end is ignored. */
export const ADJUSTMENT_ALREADY_ENDED = 'already_ended';
/** A result whose `then` cannot be read or called (a hostile thenable, a revoked Proxy). */
export const ADJUSTMENT_UNREADABLE_THEN = 'unreadable_then';
/**
 * An options, tags, result or state object that cannot be read (a getter that throws, a revoked
 * Proxy, a Proxy trap that throws): the call goes on as if it had not been given.
 */
export const ADJUSTMENT_UNREADABLE = 'unreadable';
/** A tag set (or other object input) that is not an object: it counts as none. */
export const ADJUSTMENT_NOT_AN_OBJECT = 'not_an_object';
/** A tag set with more than the most tags a measurement keeps; the rest are dropped. */
export const ADJUSTMENT_TOO_MANY_TAGS = 'too_many_tags';
/** A value past a cap on distinct values (event or error types, routes), recorded as `_OTHER` or unmatched. */
export const ADJUSTMENT_CARDINALITY_LIMIT = 'cardinality_limit';
/** A custom tag named like opmeter's own overflow tag (`opmeter.overflow`): it is dropped. */
export const ADJUSTMENT_RESERVED_TAG = 'reserved_tag';
