import {
  type Attributes,
  diag,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { ADJUSTMENT_NOT_FINITE } from '../../src/core/self-metrics.js';
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

  /** The current values, read now. */
  snapshot(): ObservedSeriesSnapshot[] {
    return this.readAll().map(({ value, tags }) => ({ tags, value }));
  }

  private readAll(): { value: number; tags: Attributes }[] {
    const out: { value: number; tags: Attributes }[] = [];
    for (const read of this.reads) {
      let result: number | readonly ObservedValue[];
      try {
        result = read();
      } catch (error) {
        this.guard.internalError();
        diag.warn(`opmeter: the read function of custom gauge ${this.name} threw`, error);
        continue;
      }
      const values = typeof result === 'number' ? [{ value: result }] : result;
      for (const { value, tags } of values) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          this.guard.count(this.name, ADJUSTMENT_NOT_FINITE);
        } else if (out.length >= this.maxSeries) {
          this.guard.count(this.name, ADJUSTMENT_SERIES_OVERFLOW);
        } else {
          out.push({ value, tags: normaliseTags(tags, this.guard) ?? NO_TAGS });
        }
      }
    }
    return out;
  }
}
