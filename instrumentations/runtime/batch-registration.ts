import type { BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { isRecordingEnabled } from '../../src/core/switch.js';

/**
 * One batch observable callback on a set of instruments, added and removed as a unit, so a
 * collector reads its source once per collection for all of its instruments. While recording is
 * switched off (`setRecordingEnabled(false)`), the callback observes nothing.
 */
export class BatchRegistration {
  private registered = false;
  private readonly callback = (result: BatchObservableResult): void => {
    if (isRecordingEnabled()) this.observe(result);
  };

  /** Prepares (without registering) `observe` as the callback of `observables` on `meter`. */
  constructor(
    private readonly meter: Meter,
    private readonly observables: Observable[],
    private readonly observe: (result: BatchObservableResult) => void,
  ) {}

  /** Whether the callback is registered. */
  get isRegistered(): boolean {
    return this.registered;
  }

  /** Registers the callback; idempotent. */
  add(): void {
    if (this.registered) return;
    this.meter.addBatchObservableCallback(this.callback, this.observables);
    this.registered = true;
  }

  /** Removes the callback; idempotent. */
  remove(): void {
    if (!this.registered) return;
    this.meter.removeBatchObservableCallback(this.callback, this.observables);
    this.registered = false;
  }
}
