import {
  type Attributes,
  diag,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { ADJUSTMENT_NOT_FINITE } from '../../src/core/self-metrics.js';
import { seriesKey } from '../../src/core/series-key.js';
import { ADJUSTMENT_SERIES_OVERFLOW } from './custom-metric.js';
import type { ObservedSeriesSnapshot } from './series.js';
import { normaliseTags } from './tags.js';
import type { ObservedValue } from './types.js';

/** Reads a gauge's current value(s) at collection time: one number, or values with tags. */
export type ObservedRead = () => number | readonly ObservedValue[];

const NO_TAGS: Attributes = Object.freeze({});

/**
 * An `ObservableGauge` fed by the read functions given to `observe()`: nothing is stored, every
 * collection (and every snapshot) calls them. A read that throws or returns a non-finite value is
 * counted and skipped; past `maxSeries` values per collection, the rest are dropped and counted.
 */
export class ObservedMetric {
  readonly kind = 'observed';
  private readonly reads = new Set<ObservedRead>();
  private gauge: ObservableGauge | undefined;
  private readonly callback = (result: ObservableResult): void => {
    if (!this.isOn()) return;
    for (const { value, tags } of this.readAll()) result.observe(value, tags);
  };

  /** Registers one callback on `gauge` that calls every read while `isOn()`. */
  constructor(
    readonly name: string,
    gauge: ObservableGauge,
    private readonly maxSeries: number,
    private readonly guard: InputGuard,
    private readonly isOn: () => boolean,
  ) {
    this.bind(gauge);
  }

  /** Moves the callback to `gauge` (a new MeterProvider), detaching it from the previous one. */
  bind(gauge: ObservableGauge): void {
    this.gauge?.removeCallback(this.callback);
    gauge.addCallback(this.callback);
    this.gauge = gauge;
  }

  /** Adds a read function; returns the function that removes it. */
  add(read: ObservedRead): () => void {
    this.reads.add(read);
    return () => {
      this.reads.delete(read);
    };
  }

  /** The current values, read now (tags copied: the caller may change them freely). */
  snapshot(): ObservedSeriesSnapshot[] {
    return this.readAll().map(({ value, tags }) => ({ tags: { ...tags }, value }));
  }

  /**
   * Every read's values, once per tag set (a set given twice keeps its last value, as OTel does),
   * at most `maxSeries`. A read that throws, or returns neither a number nor an array, is skipped
   * and counted on `opmeter.internal.errors`, with what it had given before.
   */
  private readAll(): { value: number; tags: Attributes }[] {
    const out = new Map<string, { value: number; tags: Attributes }>();
    for (const read of this.reads) {
      const values: { value: number; tags: Attributes }[] = [];
      try {
        const result = read();
        if (!this.readInto(values, result)) {
          this.guard.internalError();
          diag.warn(
            `opmeter: the read function of custom gauge ${this.name} returned ${typeof result}; ` +
              'expected a number or an array of { value, tags }',
          );
          continue;
        }
      } catch (error) {
        this.guard.internalError();
        diag.warn(`opmeter: the read function of custom gauge ${this.name} failed`, error);
        continue;
      }
      for (const entry of values) {
        const key = seriesKey(entry.tags);
        if (out.size >= this.maxSeries && !out.has(key)) {
          this.guard.count(this.name, ADJUSTMENT_SERIES_OVERFLOW);
        } else {
          out.set(key, entry);
        }
      }
    }
    return [...out.values()];
  }

  /**
   * Appends the finite values of one read's `result` to `values` (a non-finite one is counted);
   * false when `result` is neither a number nor an array.
   */
  private readInto(values: { value: number; tags: Attributes }[], result: unknown): boolean {
    const items = typeof result === 'number' ? [{ value: result }] : result;
    if (!Array.isArray(items)) return false;
    for (const item of items as readonly ObservedValue[]) {
      const { value, tags } = item;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        this.guard.count(this.name, ADJUSTMENT_NOT_FINITE);
      } else {
        values.push({ value, tags: normaliseTags(tags, this.guard) ?? NO_TAGS });
      }
    }
    return true;
  }
}
