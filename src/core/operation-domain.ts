import type { DefMetricRow } from './row-sink.js';

/** What a domain sees of an operation once it has ended. */
export interface EndedOperation<F> {
  /** Operation name as given by the user (workflow code, event type, …). */
  readonly name: string;
  /** The domain's own per-operation fields. */
  readonly fields: F;
  /** Elapsed time from the monotonic clock, in seconds, never negative. */
  readonly durationSeconds: number;
  /** Items processed (0 unless the operation reported some). */
  readonly items: number;
  readonly success: boolean;
  /** The thrown value, on failure. */
  readonly error: unknown;
  /** Low-cardinality `error.type` on failure (code or class, never the message); else undefined. */
  readonly errorType: string | undefined;
  /** Process RSS in MB at the end (shared within 50 ms), for domains that read memory; else undefined. */
  readonly memoryMB: number | undefined;
  /** Wall-clock time the operation ended, ms since the epoch; 0 for domains that neither read memory nor write rows. */
  readonly endedAt: number;
}

/**
 * What a domain (workflow, event, api, …) plugs into the {@link OperationRecorder}: how an ended
 * operation lands on its OTel instruments, and how it becomes a def_metric row.
 */
export interface OperationDomain<F> {
  /** Short domain name (`workflow`), used by session statistics and self-metrics. */
  readonly name: string;
  /**
   * Whether to read process memory (RSS) and the wall clock once when an operation ends; never
   * for tiny operations. Operations ending within 50 ms of each other share one RSS reading
   * (see `residentMemoryMB`).
   */
  readonly readsMemory: boolean;
  /** The def_metric table rows go to, when the domain has one. */
  readonly table?: string;
  /**
   * Counts an operation as in flight (an up-down counter, say). Called once, as its handle is
   * created, only while recording is on, so that `record` always has a start to balance.
   */
  started?(fields: F): void;
  /** Records the operation on the domain's instruments; must not throw. */
  record(operation: EndedOperation<F>): void;
  /** Builds the def_metric row of the operation (raw values: the row sink normalises them). */
  toRow?(operation: EndedOperation<F>): DefMetricRow;
}
