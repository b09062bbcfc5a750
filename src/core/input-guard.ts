import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { cutToLength } from './column-length.js';
import { printable } from './printable.js';
import {
  ADJUSTMENT_NEGATIVE,
  ADJUSTMENT_NOT_A_STRING,
  ADJUSTMENT_NOT_FINITE,
  ADJUSTMENT_TRUNCATED,
  ATTR_OPMETER_DOMAIN,
  ATTR_OPMETER_FIELD,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
  METRIC_OPMETER_INTERNAL_ERRORS,
  UNPRINTABLE_VALUE,
} from './self-metrics.js';

/** Longest attribute value kept, in characters; longer strings are cut (and counted). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 256;

/**
 * Turns bad input into a documented, counted outcome instead of an exception:
 * non-finite numbers become 0, negatives are clamped to 0, non-strings are stringified,
 * over-long strings are truncated. Every adjustment adds 1 to `opmeter.input.adjusted`.
 */
export class InputGuard {
  private adjusted!: Counter;
  private internalErrors!: Counter;

  /** Creates a guard for one domain, counting on `meter`. */
  constructor(
    meter: Meter,
    private readonly domain: string,
  ) {
    this.bind(meter);
  }

  /** (Re)creates the guard's two counters on `meter` (a new MeterProvider was set). */
  bind(meter: Meter): void {
    this.adjusted = meter.createCounter(METRIC_OPMETER_INPUT_ADJUSTED, {
      description: 'Inputs opmeter corrected instead of throwing, by field and reason',
      unit: '{input}',
    });
    this.internalErrors = meter.createCounter(METRIC_OPMETER_INTERNAL_ERRORS, {
      description: 'Internal metric failures swallowed so the measured operation never fails',
      unit: '{error}',
    });
  }

  /** Counts one adjustment of `field` for `reason`. */
  count(field: string, reason: string): void {
    const attributes: Attributes = {
      [ATTR_OPMETER_DOMAIN]: this.domain,
      [ATTR_OPMETER_FIELD]: field,
      [ATTR_OPMETER_REASON]: reason,
    };
    this.adjusted.add(1, attributes);
  }

  /** Counts one swallowed internal failure. */
  internalError(): void {
    this.internalErrors.add(1, { [ATTR_OPMETER_DOMAIN]: this.domain });
  }

  /** Returns `value` if it is a finite number >= 0, else 0 (counted; non-numbers as `not_finite`). */
  nonNegative(value: number, field: string): number {
    if (typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY) return value;
    if (typeof value === 'number' && value < 0 && value > Number.NEGATIVE_INFINITY) {
      this.count(field, ADJUSTMENT_NEGATIVE);
    } else {
      this.count(field, ADJUSTMENT_NOT_FINITE);
    }
    return 0;
  }

  /**
   * Returns `value` as a string of at most `max` characters (code points; never more than
   * {@link MAX_ATTRIBUTE_VALUE_LENGTH}), cut without splitting a surrogate pair and counted if
   * changed; a value with no string form becomes {@link UNPRINTABLE_VALUE}.
   */
  text(value: unknown, field: string, max = MAX_ATTRIBUTE_VALUE_LENGTH): string {
    let text: string;
    if (typeof value === 'string') {
      text = value;
    } else {
      this.count(field, ADJUSTMENT_NOT_A_STRING);
      text = printable(value);
    }
    const cut = cutToLength(text, Math.min(max, MAX_ATTRIBUTE_VALUE_LENGTH));
    if (cut.length !== text.length) this.count(field, ADJUSTMENT_TRUNCATED);
    return cut;
  }
}
