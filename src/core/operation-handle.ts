import { monotonicSeconds } from './clock.js';
import { errorTypeOf } from './error-classification.js';
import type { EndedOperation } from './operation-domain.js';
import type { OperationRecorder } from './operation-recorder.js';
import { ADJUSTMENT_ALREADY_ENDED } from './self-metrics.js';
import { isRecordingEnabled } from './switch.js';

/**
 * One operation in flight. End it exactly once with {@link end} or {@link fail}; a second end
 * is ignored and counted. Domains subclass it to add their own counters (steps, retries, …).
 * A handle started while recording is switched off records nothing.
 */
export class OperationHandle<F> implements EndedOperation<F> {
  durationSeconds = 0;
  items = 0;
  success = false;
  error: unknown = undefined;
  errorType: string | undefined = undefined;
  memoryMB: number | undefined = undefined;
  endedAt = 0;
  private readonly startedAt = monotonicSeconds();
  private readonly live = isRecordingEnabled();
  private ended = false;

  /** Starts measuring an operation `name` of the recorder's domain. */
  constructor(
    protected readonly recorder: OperationRecorder<F>,
    readonly name: string,
    readonly fields: F,
  ) {}

  /** Adds `count` processed items (non-finite or negative counts become 0 and are counted). */
  addItems(count: number): this {
    this.items += this.recorder.guard.nonNegative(count, 'items');
    return this;
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

  /** Ends the operation as a success or failure according to `success`. */
  endWith(success: boolean, error?: unknown): void {
    this.finish(success, error);
  }

  private finish(success: boolean, error: unknown): void {
    if (this.ended) {
      this.recorder.guard.count('end', ADJUSTMENT_ALREADY_ENDED);
      return;
    }
    this.ended = true;
    const elapsed = monotonicSeconds() - this.startedAt;
    this.durationSeconds = Math.max(elapsed, 0);
    this.success = success;
    if (!success) {
      this.error = error;
      this.errorType = errorTypeOf(error);
    }
    if (this.live) this.recorder.finish(this);
  }
}
