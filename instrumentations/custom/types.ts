import type { DurationBuckets } from '../../src/core/buckets.js';
import type { InstrumentationOptions } from '../../src/core/instrumentation-options.js';
import type { LifecycleConfig } from '../../src/core/lifecycle.js';
import type { MetricKind } from './semconv.js';

/** Tags of a measurement: OTel attributes. Strings are truncated, other values stringified (counted). */
export type Tags = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Configuration of {@link CustomMetrics}: `meterProvider`, `enabled` and the limits and
 * definitions below (read at construction). `stats` and `rows` are ignored.
 */
export interface CustomMetricsConfig extends InstrumentationOptions, LifecycleConfig {
  /** Distinct tag sets per metric before further ones share one overflow series. Default 100. */
  maxSeriesPerMetric?: number;
  /** Distinct metric names before further names are dropped (and counted). Default 200. */
  maxMetrics?: number;
  /** Definitions to apply up front, by metric name (same as calling `define()` for each). */
  definitions?: Readonly<Record<string, MetricDefinition>>;
  /** Start switched on. Default true. */
  enabled?: boolean;
}

/** How a metric is created on first use; without one, the kind's default unit and description apply. */
export interface MetricDefinition {
  /** Which instrument the name stands for. */
  kind: MetricKind;
  /** UCUM unit (`By`, `{order}`, `1`); timings are always `s`. */
  unit?: string;
  /** What the metric measures. */
  description?: string;
  /**
   * Timings only: `'default'` ({@link CUSTOM_TIMING_BUCKETS}, 16 edges), `'fine'`
   * ({@link CUSTOM_TIMING_BUCKETS_FINE}, R10, 51 edges) or boundaries in seconds.
   */
  buckets?: DurationBuckets;
}

/** A value read at collection time by `observe()`, optionally with tags. */
export interface ObservedValue {
  value: number;
  tags?: Tags;
}

/** Stops a running timer: records and returns the elapsed seconds (once). `using` calls it too. */
export interface Timer {
  (): number;
  [Symbol.dispose](): void;
}
