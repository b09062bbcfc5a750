import type { Meter } from '@opentelemetry/api';
import type { InFlightSeries, InFlightSpec } from './in-flight.js';
import type { DefMetricRow } from './row-sink.js';

/** What every ended operation carries, whatever its outcome. */
interface EndedOperationBase<F> {
  /** Operation name as given by the user (workflow code, event type, …). */
  readonly name: string;
  /** The domain's own per-operation fields. */
  readonly fields: F;
  /** Elapsed time from the monotonic clock, in seconds, never negative. */
  readonly durationSeconds: number;
  /** Items processed (0 unless the operation reported some). */
  readonly items: number;
  /** Process RSS in MB at the end (shared within 50 ms), for domains that read memory; else undefined. */
  readonly memoryMB: number | undefined;
  /**
   * Wall-clock time the operation ended, ms since the epoch: the process's time origin plus the
   * monotonic end, as OpenTelemetry JS timestamps are (no clock read of its own).
   */
  readonly endedAt: number;
}

/** An operation that ended well. */
export interface SucceededOperation<F> extends EndedOperationBase<F> {
  readonly success: true;
  readonly error: undefined;
  readonly errorType: undefined;
}

/** An operation that failed. */
export interface FailedOperation<F> extends EndedOperationBase<F> {
  readonly success: false;
  /** The thrown value. */
  readonly error: unknown;
  /** Low-cardinality `error.type` (code or class, never the message). */
  readonly errorType: string;
}

/**
 * An ended operation: a value tagged on `success`, every property `readonly` (the compiler refuses
 * a write), so consumers narrow on the tag and the compiler knows when `error` and `errorType` are
 * there.
 */
export type EndedOperation<F> = SucceededOperation<F> | FailedOperation<F>;

/**
 * What a domain (workflow, event, api, …) plugs into the {@link OperationRecorder}: how an ended
 * operation lands on its OTel instruments, and how it becomes a def_metric row of type `Row`.
 */
export interface OperationDomain<F, Row extends object = DefMetricRow> {
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
  /** The in-flight instruments (count and long-task ages), when the domain reports them. */
  readonly inFlight?: InFlightSpec;
  /**
   * (Re)creates the domain's instruments on `meter`, its duration histogram with `boundaries`:
   * called at construction and whenever the instrumentation gets a new MeterProvider
   * (`setMeterProvider`) or configuration (`setConfig`).
   */
  bind(meter: Meter, boundaries: readonly number[]): void;
  /**
   * The in-flight series an operation with `fields` counts in, called once as its handle is
   * created while recording is on; undefined for none.
   */
  inFlightOf?(fields: F): InFlightSeries | undefined;
  /** Records the operation on the domain's instruments; must not throw. */
  record(operation: EndedOperation<F>): void;
  /** Builds the def_metric row of the operation (raw values: the row sink normalises them). */
  toRow?(operation: EndedOperation<F>): Row;
}
