import { type BucketPresets, presets, r10Series } from '../../src/core/buckets.js';
/** `opmeter.overflow` tag carried by series beyond a metric's cardinality cap (value `true`). */
export const ATTR_OPMETER_OVERFLOW = 'opmeter.overflow';

/** Kind of a custom metric, and the OTel instrument behind it. */
export const MetricKind = {
  /** Monotonic `Counter` (`increment`). */
  COUNTER: 'counter',
  /** `UpDownCounter` (`upDown`): connections, queue entries added and removed. */
  UP_DOWN_COUNTER: 'upDownCounter',
  /** Synchronous `Gauge` (`gauge`): a value set from time to time. */
  GAUGE: 'gauge',
  /** `Histogram` in seconds (`timing`, `timer`, `time`). */
  TIMING: 'timing',
  /** `Counter` of processed items with throughput in the snapshot (`items`). */
  ITEMS: 'items',
  /** `ObservableGauge` read at collection time (`observe`): queue depth, pool size. */
  OBSERVED: 'observed',
} as const;

/** One of the {@link MetricKind} values. */
export type MetricKind = (typeof MetricKind)[keyof typeof MetricKind];

/** Unit of a kind when its definition names none (timings are always `s`). */
export const DEFAULT_UNITS: Readonly<Record<MetricKind, string>> = {
  counter: '{count}',
  upDownCounter: '{count}',
  gauge: '{value}',
  timing: 's',
  items: '{item}',
  observed: '{value}',
};

/** 0.5 ms to 1 min (16 edges): default boundaries of a custom timing, seconds. */
export const CUSTOM_TIMING_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);

/** The `'fine'` custom timing preset: R10 from 0.5 ms to 50 s (51 edges). */
export const CUSTOM_TIMING_BUCKETS_FINE: readonly number[] = Object.freeze(r10Series(0.0005, 60));

/** Both presets of a custom timing. */
export const CUSTOM_TIMING_PRESETS: BucketPresets = presets(
  CUSTOM_TIMING_BUCKETS,
  CUSTOM_TIMING_BUCKETS_FINE,
);

/** Default number of distinct tag sets per metric before the rest share the overflow series. */
export const DEFAULT_MAX_SERIES_PER_METRIC = 100;
/** Default number of distinct metric names; further names are dropped and counted. */
export const DEFAULT_MAX_METRICS = 200;
