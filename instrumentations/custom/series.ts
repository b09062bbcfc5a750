import type { Attributes } from '@opentelemetry/api';
import { QuantileSketch } from '../../src/stats/quantile-sketch.js';

/** A counter or up-down counter series in a snapshot. */
export interface CounterSeriesSnapshot {
  tags: Attributes;
  value: number;
}

/** An items series in a snapshot: total and throughput since creation or reset. */
export interface ItemsSeriesSnapshot {
  tags: Attributes;
  value: number;
  perSecond: number;
}

/** A gauge series in a snapshot: the last value set and the range seen. */
export interface GaugeSeriesSnapshot {
  tags: Attributes;
  value: number;
  min: number;
  max: number;
  mean: number;
  samples: number;
}

/** A timing series in a snapshot (seconds; quantiles within ±1%). */
export interface TimingSeriesSnapshot {
  tags: Attributes;
  count: number;
  totalSeconds: number;
  meanSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  p50Seconds: number;
  p95Seconds: number;
  p99Seconds: number;
}

/** An observed gauge series in a snapshot, read when the snapshot is taken. */
export interface ObservedSeriesSnapshot {
  tags: Attributes;
  value: number;
}

/** What the facade keeps of one tag set of one metric, for the snapshot. */
export interface Series<S> {
  /** Adds one measurement. */
  add(value: number): void;
  /** The figures so far; `sinceSeconds` is the time since creation or the last reset. */
  snapshot(tags: Attributes, sinceSeconds: number): S;
}

/** Running sum: counters and up-down counters. */
export class SumSeries implements Series<CounterSeriesSnapshot> {
  private total = 0;

  /** Adds `value` to the sum. */
  add(value: number): void {
    this.total += value;
  }

  /** The sum. */
  snapshot(tags: Attributes): CounterSeriesSnapshot {
    return { tags, value: this.total };
  }
}

/** Running sum with throughput: processed items. */
export class ItemsSeries implements Series<ItemsSeriesSnapshot> {
  private total = 0;

  /** Adds `value` items. */
  add(value: number): void {
    this.total += value;
  }

  /** The total and the items per second since creation or reset. */
  snapshot(tags: Attributes, sinceSeconds: number): ItemsSeriesSnapshot {
    return { tags, value: this.total, perSecond: sinceSeconds > 0 ? this.total / sinceSeconds : 0 };
  }
}

/** Last value, min, max and mean of a gauge. */
export class GaugeSeries implements Series<GaugeSeriesSnapshot> {
  private last = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private count = 0;

  /** Sets the gauge to `value`. */
  add(value: number): void {
    this.last = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    this.count++;
  }

  /** The last value and the range seen. */
  snapshot(tags: Attributes): GaugeSeriesSnapshot {
    return {
      tags,
      value: this.last,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
      samples: this.count,
    };
  }
}

/** Count, total, range and quantiles of a timing, in bounded memory. */
export class TimingSeries implements Series<TimingSeriesSnapshot> {
  private count = 0;
  private total = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;
  private readonly sketch = new QuantileSketch();

  /** Adds one duration in seconds. */
  add(seconds: number): void {
    this.count++;
    this.total += seconds;
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    this.sketch.add(seconds);
  }

  /** The timing figures. */
  snapshot(tags: Attributes): TimingSeriesSnapshot {
    return {
      tags,
      count: this.count,
      totalSeconds: this.total,
      meanSeconds: this.total / this.count,
      minSeconds: this.min,
      maxSeconds: this.max,
      p50Seconds: this.sketch.quantile(0.5) ?? 0,
      p95Seconds: this.sketch.quantile(0.95) ?? 0,
      p99Seconds: this.sketch.quantile(0.99) ?? 0,
    };
  }
}
