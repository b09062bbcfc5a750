import { monotonicSeconds } from './clock.js';
import { errorTypeOf, safeErrorType } from './error-classification.js';
import type { InFlightEntry, InFlightSeries } from './in-flight.js';
import type { InputGuard } from './input-guard.js';
import type { OperationDomain } from './operation-domain.js';
import type { OperationRecorder } from './operation-recorder.js';
import { readSafely } from './safe-read.js';
import { ADJUSTMENT_ALREADY_ENDED } from './self-metrics.js';

/** The outcome of an operation timed by the caller, for {@link OperationHandle.endMeasured}. */
export interface MeasuredOutcome {
  /** Elapsed seconds as the caller measured them. */
  durationSeconds: number;
  success: boolean;
  /** The failure's thrown value, if any. */
  error?: unknown;
  /** The failure's `error.type`, when the caller knows it better than `error` tells. */
  errorType?: string | undefined;
}

/** The keys of `F` whose values are numbers (the counts a handle adds to). */
export type NumericKeys<F> = { [K in keyof F]: F[K] extends number ? K : never }[keyof F];

/**
 * One operation in flight. End it exactly once with {@link end} or {@link fail}; a second end
 * is ignored and counted. Domains subclass it to add their own counters (steps, retries, …).
 * A handle started while recording (or its instrumentation) is off records nothing. Once ended,
 * the operation is handed to the recorder as an immutable, tagged `EndedOperation`.
 */
export class OperationHandle<F, D extends OperationDomain<F, object> = OperationDomain<F, object>>
  implements InFlightEntry
{
  /** Items processed so far. */
  items = 0;
  /** Monotonic seconds the operation started. */
  readonly startedAt = monotonicSeconds();
  /** Previous operation of the same in-flight series (managed by the series). */
  inFlightPrev: InFlightEntry | undefined = undefined;
  /** Next operation of the same in-flight series (managed by the series). */
  inFlightNext: InFlightEntry | undefined = undefined;
  private inFlight: InFlightSeries | undefined = undefined;
  private readonly live: boolean;
  private ended = false;

  /** Starts measuring an operation `name` of the recorder's domain. */
  constructor(
    protected readonly recorder: OperationRecorder<F, D>,
    /** Operation name; a domain may refine it before the end (a route known after routing). */
    public name: string,
    readonly fields: F,
  ) {
    this.live = recorder.isLive();
    if (this.live) {
      const series = recorder.domain.inFlightOf?.(fields);
      if (series !== undefined) this.enterInFlight(series);
    }
  }

  /** Counts this operation in flight in `series` until it ends (once; only while live). */
  protected enterInFlight(series: InFlightSeries): void {
    const tracker = this.recorder.inFlight;
    if (!this.live || this.inFlight !== undefined || tracker === undefined) return;
    const admitted = tracker.admit(series);
    admitted.add(this);
    this.inFlight = admitted;
  }

  /**
   * Adds `count` processed items (non-finite or negative counts become 0 and are counted). After
   * the operation ended the call is ignored, counted `already_ended`.
   */
  addItems(count: number): this {
    if (this.isOpen('items')) this.items += this.recorder.guard.nonNegative(count, 'items');
    return this;
  }

  /**
   * Adds `count` to the numeric field `key` of the operation's fields (a non-finite or negative
   * count becomes 0 and is counted as `field`, by default the key's name); ignored once ended.
   */
  protected addTo(key: NumericKeys<F>, count: number, field: string = String(key)): this {
    if (!this.isOpen(field)) return this;
    const fields = this.fields as Record<NumericKeys<F>, number>;
    fields[key] += this.recorder.guard.nonNegative(count, field);
    return this;
  }

  /**
   * Whether the operation still takes what its handle reports: once it ended, a call (reporting
   * `field`) changes nothing of what was recorded and is counted `already_ended`.
   */
  protected isOpen(field: string): boolean {
    if (!this.ended) return true;
    this.recorder.guard.count(field, ADJUSTMENT_ALREADY_ENDED);
    return false;
  }

  /** Whether this operation is recorded when it ends (recording was on when it started). */
  protected get isLive(): boolean {
    return this.live;
  }

  /** Whether {@link end} or {@link fail} was called. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Ends the operation as a success. */
  end(): void {
    this.finish(true, undefined);
  }

  /** Ends the operation as a failure caused by `error` (any thrown value). */
  fail(error: unknown): void {
    this.finish(false, error);
  }

  /** Ends the operation as a success or failure according to `success` (any value: truthy is success). */
  endWith(success: boolean, error?: unknown): void {
    this.finish(Boolean(success), error);
  }

  /**
   * Ends the operation with an outcome measured elsewhere (a replayed or externally timed
   * operation). A NaN, infinite or negative duration becomes 0 and is counted; `errorType`, when
   * given, replaces the one derived from `error` (`_OTHER` unless it is a short identifier). An
   * outcome that cannot be read (a getter that throws, a revoked Proxy) ends it as a 0 s failure.
   */
  endMeasured(measurement: MeasuredOutcome): void {
    const guard = this.recorder.guard;
    const outcome = readSafely(guard, 'outcome', measuredOutcomeOf, guard, undefined, measurement);
    this.finish(outcome.success, outcome.error, outcome.durationSeconds, outcome.errorType);
  }

  /**
   * Ends the operation without recording it, for a caller that could not complete its
   * measurement (and counted that): it leaves the in-flight counts and is never ended again.
   */
  abandon(): void {
    if (!this.ended) this.leave();
  }

  /** Marks the operation ended and takes it out of the in-flight counts. */
  private leave(): void {
    this.ended = true;
    const inFlight = this.inFlight;
    if (inFlight !== undefined) {
      inFlight.remove(this);
      this.inFlight = undefined;
    }
  }

  private finish(
    success: boolean,
    error: unknown,
    measuredSeconds?: number,
    errorType?: string,
  ): void {
    if (this.ended) {
      this.recorder.guard.count('end', ADJUSTMENT_ALREADY_ENDED);
      return;
    }
    this.leave();
    if (!this.live) return;
    const endSeconds = monotonicSeconds();
    this.recorder.finish(
      this,
      success,
      error,
      success ? undefined : (errorType ?? errorTypeOf(error)),
      measuredSeconds ?? Math.max(endSeconds - this.startedAt, 0),
      endSeconds,
    );
  }
}

/** What an unreadable measured outcome ends an operation as: a 0 s failure. */
const UNREADABLE_OUTCOME: MeasuredOutcome = Object.freeze({ durationSeconds: 0, success: false });

/** `measurement` with its duration checked by `this` and its error type made safe. */
function measuredOutcomeOf(
  this: InputGuard,
  _: undefined,
  measurement: MeasuredOutcome | undefined,
): MeasuredOutcome {
  if (measurement === undefined) return UNREADABLE_OUTCOME;
  const errorType = measurement.errorType;
  return {
    durationSeconds: this.nonNegative(measurement.durationSeconds, 'duration'),
    success: Boolean(measurement.success),
    error: measurement.error,
    errorType: errorType === undefined ? undefined : safeErrorType(errorType),
  };
}
