import type {
  Attributes,
  BatchObservableCallback,
  Meter,
  Observable,
  ObservableGauge,
  ObservableUpDownCounter,
} from '@opentelemetry/api';
import { monotonicSeconds } from './clock.js';
import { seriesKey } from './series-key.js';
import { isRecordingEnabled } from './switch.js';

/** Names of a domain's in-flight instruments (`workflow.active_runs` and its two ages). */
export interface InFlightSpec {
  /** Observable up-down counter of operations in flight (`workflow.active_runs`). */
  readonly count: string;
  /** Its description. */
  readonly description: string;
  /** Its unit (`{run}`). */
  readonly unit: string;
  /** Gauge of the age of the oldest operation in flight, seconds (`workflow.active_runs.max_age`). */
  readonly maxAge: string;
  /** Gauge of the summed age of every operation in flight, seconds (`workflow.active_runs.total_age`). */
  readonly totalAge: string;
}

/** Series with operations in flight observed at most; later series share one without attributes. */
export const MAX_IN_FLIGHT_SERIES = 2000;

/** The key of the shared series past the bound: every {@link seriesKey} is '' or starts with a digit. */
const OVERFLOW_KEY = '#overflow';

/** One operation in flight: its start and its neighbours in its series, oldest first. */
export interface InFlightEntry {
  /** Monotonic seconds the operation started. */
  readonly startedAt: number;
  inFlightPrev: InFlightEntry | undefined;
  inFlightNext: InFlightEntry | undefined;
}

/**
 * The operations in flight of one attribute set, oldest first, in a list threaded through the
 * operations themselves: starting or ending one is O(1) and allocates nothing, and the oldest
 * one is the head (operations start in monotonic order).
 */
export class InFlightSeries {
  /** Operations in flight. */
  count = 0;
  /** Sum of their start times (monotonic seconds): summed age = count × now − startSum. */
  startSum = 0;
  /** The oldest operation in flight. */
  head: InFlightEntry | undefined = undefined;
  private tail: InFlightEntry | undefined = undefined;
  /** Whether an {@link InFlightTracker} observes this series. */
  tracked = false;

  /** Creates an empty series with `attributes`. */
  constructor(readonly attributes: Attributes) {}

  /** Adds `entry` as the newest operation in flight. */
  add(entry: InFlightEntry): void {
    entry.inFlightPrev = this.tail;
    entry.inFlightNext = undefined;
    if (this.tail === undefined) this.head = entry;
    else this.tail.inFlightNext = entry;
    this.tail = entry;
    this.count++;
    this.startSum += entry.startedAt;
  }

  /** Removes `entry`, which must be in this series. */
  remove(entry: InFlightEntry): void {
    const { inFlightPrev: prev, inFlightNext: next } = entry;
    if (prev === undefined) this.head = next;
    else prev.inFlightNext = next;
    if (next === undefined) this.tail = prev;
    else next.inFlightPrev = prev;
    entry.inFlightPrev = undefined;
    entry.inFlightNext = undefined;
    this.count--;
    this.startSum = this.count === 0 ? 0 : this.startSum - entry.startedAt;
  }
}

/**
 * Reports a domain's operations in flight at collection time, with no instrument call per
 * operation: their count per series (an observable up-down counter), and, like Micrometer's
 * LongTaskTimer, how long the oldest has been running and the summed age of all of them (two
 * gauges, seconds) — a stuck five-minute workflow is visible before it ends.
 */
export class InFlightTracker {
  /** The series reported, by the key of their attribute set ({@link seriesKey}). */
  private readonly series = new Map<string, InFlightSeries>();
  private readonly overflow = new InFlightSeries({});
  private meter: Meter | undefined;
  private instruments: Observable[] = [];
  private readonly callback: BatchObservableCallback = (result) => {
    if (!this.enabled() || !isRecordingEnabled()) return;
    const [count, maxAge, totalAge] = this.instruments as [
      ObservableUpDownCounter,
      ObservableGauge,
      ObservableGauge,
    ];
    const now = monotonicSeconds();
    for (const s of this.series.values()) {
      result.observe(count, s.count, s.attributes);
      const oldest = s.head === undefined ? 0 : Math.max(now - s.head.startedAt, 0);
      result.observe(maxAge, oldest, s.attributes);
      result.observe(totalAge, Math.max(s.count * now - s.startSum, 0), s.attributes);
    }
  };

  /** Creates a tracker for the instruments of `spec`; `enabled` says whether to report. */
  constructor(
    private readonly spec: InFlightSpec,
    private readonly enabled: () => boolean,
  ) {}

  /** (Re)creates the observable instruments on `meter`, detaching them from the previous one. */
  bind(meter: Meter): void {
    this.meter?.removeBatchObservableCallback(this.callback, this.instruments);
    const spec = this.spec;
    this.instruments = [
      meter.createObservableUpDownCounter(spec.count, {
        description: spec.description,
        unit: spec.unit,
      }),
      meter.createObservableGauge(spec.maxAge, {
        description: `Age of the oldest of the ${spec.description.toLowerCase()}`,
        unit: 's',
      }),
      meter.createObservableGauge(spec.totalAge, {
        description: `Summed age of the ${spec.description.toLowerCase()}`,
        unit: 's',
      }),
    ];
    meter.addBatchObservableCallback(this.callback, this.instruments);
    this.meter = meter;
  }

  /**
   * The series an operation of `series` is counted in: `series` itself the first time its
   * attribute set is met, else the one already reported for that set (a series built again past
   * a cache's bound joins the record of its set instead of adding one), or the shared one past
   * {@link MAX_IN_FLIGHT_SERIES} sets.
   */
  admit(series: InFlightSeries): InFlightSeries {
    if (series.tracked) return series;
    const key = seriesKey(series.attributes);
    const known = this.series.get(key);
    if (known !== undefined) return known;
    if (this.series.size >= MAX_IN_FLIGHT_SERIES) {
      if (!this.overflow.tracked) {
        this.overflow.tracked = true;
        this.series.set(OVERFLOW_KEY, this.overflow);
      }
      return this.overflow;
    }
    series.tracked = true;
    this.series.set(key, series);
    return series;
  }
}
