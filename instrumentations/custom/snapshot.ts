import type {
  CounterSeriesSnapshot,
  GaugeSeriesSnapshot,
  ItemsSeriesSnapshot,
  ObservedSeriesSnapshot,
  TimingSeriesSnapshot,
} from './series.js';

/**
 * Everything the facade tracks, JSON-ready: per kind, metric name to one entry per tag set.
 * Bounded by `maxMetrics` names and `maxSeriesPerMetric` tag sets (plus one overflow series).
 */
export interface CustomMetricsSnapshot {
  /** Whether the facade is switched on. */
  enabled: boolean;
  /** Seconds since the facade was created or last reset (the throughput window of `items`). */
  sinceSeconds: number;
  counters: Record<string, CounterSeriesSnapshot[]>;
  upDownCounters: Record<string, CounterSeriesSnapshot[]>;
  gauges: Record<string, GaugeSeriesSnapshot[]>;
  timings: Record<string, TimingSeriesSnapshot[]>;
  items: Record<string, ItemsSeriesSnapshot[]>;
  /** Gauges registered with `observe()`, read when the snapshot is taken (empty while off). */
  observed: Record<string, ObservedSeriesSnapshot[]>;
}

/** The snapshot section of each recorded kind. */
export const SECTION_OF = {
  counter: 'counters',
  upDownCounter: 'upDownCounters',
  gauge: 'gauges',
  timing: 'timings',
  items: 'items',
} as const;
