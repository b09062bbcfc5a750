import { diag, type Meter } from '@opentelemetry/api';
import type { SessionStats } from '../stats/session-stats.js';
import { InputGuard } from './input-guard.js';
import { residentMemoryMB } from './memory-reader.js';
import type { OperationDomain } from './operation-domain.js';
import type { OperationHandle } from './operation-handle.js';
import type { RowSink } from './row-sink.js';

/** Derives the items an operation processed from its result (e.g. `(rows) => rows.length`). */
export type ItemsOf<R> = (result: R) => number;

/** Where an ended operation goes besides the domain's instruments. */
export interface RecorderTargets {
  /** In-memory session statistics to feed. */
  stats?: SessionStats | undefined;
  /** def_metric row sink (the persistence writer) to feed. */
  rows?: RowSink | undefined;
}

/**
 * The one mechanism every domain uses: an ended operation fans out to the domain's OTel
 * instruments, to the session statistics and to the row sink. It never throws: a failure in
 * any of them is counted on `opmeter.internal.errors` and logged through the OTel diag logger.
 */
export class OperationRecorder<F> {
  /** Corrects and counts bad input for this domain. */
  readonly guard: InputGuard;
  private readonly stats: SessionStats | undefined;
  private readonly rows: RowSink | undefined;

  /** Creates a recorder for `domain`, counting its own problems on `meter`. */
  constructor(
    readonly domain: OperationDomain<F>,
    meter: Meter,
    targets: RecorderTargets = {},
  ) {
    this.guard = new InputGuard(meter, domain.name);
    this.stats = targets.stats;
    this.rows = domain.toRow === undefined ? undefined : targets.rows;
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
    if (isThenable(result)) {
      return result.then(
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

  /** Called by a handle when it ends: records it everywhere. Never throws. */
  finish(operation: OperationHandle<F>): void {
    try {
      const domain = this.domain;
      const rows = this.rows;
      if (domain.readsMemory || rows !== undefined) {
        operation.endedAt = Date.now();
        if (domain.readsMemory) operation.memoryMB = residentMemoryMB(operation.endSeconds);
      }
      domain.record(operation);
      this.stats?.record(
        domain.name,
        operation.name,
        operation.durationSeconds,
        operation.items,
        operation.success,
      );
      if (rows !== undefined && domain.table !== undefined && domain.toRow !== undefined) {
        rows.enqueue(domain.table, domain.toRow(operation));
      }
    } catch (error) {
      this.guard.internalError();
      diag.warn(`opmeter: recording a ${this.domain.name} operation failed`, error);
    }
  }
}

function isThenable<R>(value: R): value is R & PromiseLike<Awaited<R>> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
