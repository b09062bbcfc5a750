import { diag, type Meter } from '@opentelemetry/api';
import { wallClockMs } from './clock.js';
import { InFlightTracker } from './in-flight.js';
import { InputGuard } from './input-guard.js';
import { residentMemoryMB } from './memory-reader.js';
import type { EndedOperation, OperationDomain } from './operation-domain.js';
import type { OperationHandle } from './operation-handle.js';
import type { OperationTarget } from './operation-targets.js';
import { isRecordingEnabled } from './switch.js';
import { adopt, thenOf } from './thenable.js';

/** Derives the items an operation processed from its result (e.g. `(rows) => rows.length`). */
export type ItemsOf<R> = (result: R) => number;

/**
 * The one mechanism every domain uses: an ended operation becomes an {@link EndedOperation}, a
 * value whose every property is `readonly` (immutable by type, like sdk-metrics' `MetricData`; not
 * frozen, which would cost a tenth of an event operation), that fans out to the domain's OTel instruments and to every
 * {@link OperationTarget} (session statistics, the row sink). It never throws: a failure in any
 * of them is counted on `opmeter.internal.errors` and logged through the OTel diag logger.
 */
export class OperationRecorder<
  F,
  D extends OperationDomain<F, object> = OperationDomain<F, object>,
> {
  /** Corrects and counts bad input for this domain. */
  readonly guard: InputGuard;
  /** Operations in flight, when the domain reports them. */
  readonly inFlight: InFlightTracker | undefined;
  /** Whether the instrumentation is enabled (`enable()` / `disable()`). */
  enabled = true;
  private targets: readonly OperationTarget[] = [];

  /** Creates a recorder for `domain`, counting its own problems on `meter`. */
  constructor(
    readonly domain: D,
    meter: Meter,
    boundaries: readonly number[],
    targets: readonly OperationTarget[] = [],
  ) {
    this.guard = new InputGuard(meter, domain.name);
    const spec = domain.inFlight;
    this.inFlight = spec === undefined ? undefined : new InFlightTracker(spec, () => this.enabled);
    this.setTargets(targets);
    this.domain.bind(meter, boundaries);
    this.inFlight?.bind(meter);
  }

  /**
   * (Re)creates every instrument (the guard's, the domain's with the duration `boundaries`, the
   * in-flight ones) on `meter`.
   */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.guard.bind(meter);
    this.domain.bind(meter, boundaries);
    this.inFlight?.bind(meter);
  }

  /** Replaces where ended operations go besides the instruments. */
  setTargets(targets: readonly OperationTarget[]): void {
    this.targets = targets;
  }

  /** Whether an operation starting now is recorded (the instrumentation and recording are on). */
  isLive(): boolean {
    return this.enabled && isRecordingEnabled();
  }

  /**
   * Runs `fn` as the operation `handle`: ends it when `fn` returns or its promise settles,
   * fails it when `fn` throws or rejects, and passes the result or error through unchanged.
   */
  invoke<A extends unknown[], R>(
    handle: OperationHandle<F>,
    fn: (...args: A) => R,
    thisArg: unknown,
    args: A,
    itemsOf?: ItemsOf<Awaited<R>>,
  ): R {
    let result: R;
    try {
      result = fn.apply(thisArg, args);
    } catch (error) {
      handle.fail(error);
      throw error;
    }
    const then = thenOf(result, this.guard);
    if (then !== undefined && 'unreadable' in then) {
      // Awaiting it would reject with the same error: the operation failed, the value goes back.
      if (!handle.isEnded) handle.fail(then.unreadable);
      return result;
    }
    if (then !== undefined) {
      const promise = adopt(result, then);
      return promise.then(
        (value) => {
          if (!handle.isEnded) {
            if (itemsOf !== undefined) this.countItems(handle, itemsOf, value);
            handle.end();
          }
          return value;
        },
        (error: unknown) => {
          if (!handle.isEnded) handle.fail(error);
          throw error;
        },
      ) as R;
    }
    if (!handle.isEnded) {
      if (itemsOf !== undefined) this.countItems(handle, itemsOf, result as Awaited<R>);
      handle.end();
    }
    return result;
  }

  private countItems<R>(handle: OperationHandle<F>, itemsOf: ItemsOf<R>, result: R): void {
    try {
      handle.addItems(itemsOf(result));
    } catch (error) {
      this.guard.internalError();
      diag.warn(`opmeter: the itemsOf callback of a ${this.domain.name} operation threw`, error);
    }
  }

  /**
   * Called by a live handle when it ends (`endSeconds` monotonic): records it everywhere.
   * Never throws.
   */
  finish(
    handle: OperationHandle<F>,
    success: boolean,
    error: unknown,
    errorType: string | undefined,
    durationSeconds: number,
    endSeconds: number,
  ): void {
    try {
      const domain = this.domain;
      const memoryMB = domain.readsMemory ? residentMemoryMB(endSeconds) : undefined;
      const operation = {
        name: handle.name,
        fields: handle.fields,
        durationSeconds,
        items: handle.items,
        success,
        error: success ? undefined : error,
        errorType,
        memoryMB,
        endedAt: wallClockMs(endSeconds),
      } as EndedOperation<F>;
      domain.record(operation);
      const targets = this.targets;
      for (let i = 0; i < targets.length; i++) targets[i]?.operationEnded(domain, operation);
    } catch (error) {
      this.guard.internalError();
      diag.warn(`opmeter: recording a ${this.domain.name} operation failed`, error);
    }
  }
}
