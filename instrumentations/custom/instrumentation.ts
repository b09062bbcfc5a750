import { diag } from '@opentelemetry/api';
import { monotonicSeconds } from '../../src/core/clock.js';
import { positiveIntegers } from '../../src/core/config-validation.js';
import { InputGuard } from '../../src/core/input-guard.js';
import { MeteredInstrumentation } from '../../src/core/lifecycle.js';
import { requireFunction } from '../../src/core/require-function.js';
import { ADJUSTMENT_ALREADY_ENDED, ADJUSTMENT_NOT_FINITE } from '../../src/core/self-metrics.js';
import { isRecordingEnabled } from '../../src/core/switch.js';
import { adopt, thenOf } from '../../src/core/thenable.js';
import { CustomMetric } from './custom-metric.js';
import {
  checkDefinition,
  createRecorded,
  describe,
  kindMismatch,
  type RecordedKind,
} from './definitions.js';
import { CustomMetricError, validateMetricName } from './metric-name.js';
import { ObservedMetric, type ObservedRead } from './observed-metric.js';
import { DEFAULT_MAX_METRICS, DEFAULT_MAX_SERIES_PER_METRIC, type MetricKind } from './semconv.js';
import { type CustomMetricsSnapshot, SECTION_OF } from './snapshot.js';
import { normaliseTags } from './tags.js';
import { NOOP_TIMER, startTimer } from './timer.js';
import type { CustomMetricsConfig, MetricDefinition, Tags, Timer } from './types.js';

/** `opmeter.input.adjusted` reason of a measurement dropped because `maxMetrics` names exist. */
export const ADJUSTMENT_TOO_MANY_METRICS = 'too_many_metrics';

/**
 * A thin facade over OTel instruments for what no domain covers: counters, up-down counters,
 * gauges, timings (histograms in seconds), processed items with throughput, and gauges read at
 * collection time. Instruments are created once per name on first use and cached; the facade also
 * keeps a bounded per-tag-set summary for {@link snapshot}. Bad values never throw (they are fixed
 * or skipped and counted); an invalid metric name or a name reused with another kind is a
 * programming error and throws {@link CustomMetricError} on first use. Like every opmeter
 * instrumentation it follows the OTel lifecycle: hand it to `registerInstrumentations()` or to
 * NodeSDK's `instrumentations: [...]`, and a MeterProvider set later takes every metric over.
 *
 * @example
 * const custom = new CustomMetrics(metrics);
 * custom.increment('orders.created', 1, { channel: 'web' });
 * const rows = await custom.time('report.render', () => render(report));
 */
export class CustomMetrics extends MeteredInstrumentation<CustomMetricsConfig> {
  private readonly guard: InputGuard;
  private readonly maxSeries: number;
  private readonly maxMetrics: number;
  protected override readonly constructionOptions: readonly (keyof CustomMetricsConfig)[] = [
    'maxSeriesPerMetric',
    'maxMetrics',
    'definitions',
  ];
  private readonly definitions = new Map<string, MetricDefinition>();
  private readonly recorded = new Map<string, CustomMetric>();
  private readonly observedMetrics = new Map<string, ObservedMetric>();
  private on: boolean;
  private startedAt = monotonicSeconds();
  private warnedFull = false;
  private readonly isOn = (): boolean => this.on && isRecordingEnabled();

  /**
   * Creates the facade; bad limits or definitions throw here. The limits and definitions are read
   * once, here: later ones go through {@link define}.
   */
  constructor(config: CustomMetricsConfig = {}) {
    const limits = positiveIntegers('CustomMetrics', config, LIMITS);
    super('custom', config);
    this.guard = new InputGuard(this.meter, 'custom');
    this.maxSeries = limits.maxSeriesPerMetric;
    this.maxMetrics = limits.maxMetrics;
    this.on = this.getConfig().enabled !== false;
    for (const [name, definition] of Object.entries(config.definitions ?? {})) {
      this.define(name, definition);
    }
  }

  /** Whether measurements are recorded (also false while `setRecordingEnabled(false)`). */
  get enabled(): boolean {
    return this.isOn();
  }

  /** Whether the facade is switched on ({@link enable} / {@link disable}), whatever the global switch. */
  get isEnabled(): boolean {
    return this.on;
  }

  /** Switches recording on. */
  enable(): void {
    this.on = true;
  }

  /** Switches recording off: every call returns at once, `time()` just calls its function. */
  disable(): void {
    this.on = false;
  }

  /** Declares the kind, unit, description or buckets of `name` before its first use. */
  define(name: string, definition: MetricDefinition): this {
    const checked = checkDefinition(name, definition);
    if (this.recorded.has(name) || this.observedMetrics.has(name)) {
      throw new CustomMetricError(
        `custom metric "${name}" is already in use; call define() before its first measurement`,
      );
    }
    this.definitions.set(name, checked);
    return this;
  }

  /** Adds `amount` (default 1, must be >= 0) to the counter `name`. */
  increment(name: string, amount = 1, tags?: Tags): void {
    if (!this.isOn()) return;
    const metric = this.metric(name, 'counter');
    metric?.record(this.guard.nonNegative(amount, name), normaliseTags(tags, this.guard));
  }

  /** Adds `delta` (may be negative) to the up-down counter `name`. */
  upDown(name: string, delta: number, tags?: Tags): void {
    if (!this.isOn()) return;
    const metric = this.metric(name, 'upDownCounter');
    if (metric !== undefined && this.finite(delta, name)) {
      metric.record(delta, normaliseTags(tags, this.guard));
    }
  }

  /** Sets the gauge `name` to `value`. */
  gauge(name: string, value: number, tags?: Tags): void {
    if (!this.isOn()) return;
    const metric = this.metric(name, 'gauge');
    if (metric !== undefined && this.finite(value, name)) {
      metric.record(value, normaliseTags(tags, this.guard));
    }
  }

  /** Records a duration of `seconds` on the timing `name`. */
  timing(name: string, seconds: number, tags?: Tags): void {
    if (!this.isOn()) return;
    const metric = this.metric(name, 'timing');
    metric?.record(this.guard.nonNegative(seconds, name), normaliseTags(tags, this.guard));
  }

  /** Counts `count` processed items on `name` (a business KPI; throughput is in the snapshot). */
  items(name: string, count: number, tags?: Tags): void {
    if (!this.isOn()) return;
    const metric = this.metric(name, 'items');
    metric?.record(this.guard.nonNegative(count, name), normaliseTags(tags, this.guard));
  }

  /** Starts timing a block of code; call the returned function (or `using` it) to record it. */
  timer(name: string, tags?: Tags): Timer {
    if (!this.isOn()) return NOOP_TIMER;
    const metric = this.metric(name, 'timing');
    if (metric === undefined) return NOOP_TIMER;
    const attributes = normaliseTags(tags, this.guard);
    return startTimer(
      (seconds) => metric.record(seconds, attributes),
      () => this.guard.count(name, ADJUSTMENT_ALREADY_ENDED),
    );
  }

  /** Runs `fn` (sync or async) and records its duration on the timing `name`, even when it fails. */
  time<R>(name: string, fn: () => R, tags?: Tags): R {
    requireFunction(fn, 'custom', 'time', name, 'fn');
    if (!this.isOn()) return fn();
    const stop = this.timer(name, tags);
    let result: R;
    try {
      result = fn();
    } catch (error) {
      stop();
      throw error;
    }
    const then = thenOf(result, this.guard);
    if (then === undefined || 'unreadable' in then) {
      // An unreadable `then` (counted): the value goes back unchanged, as from run().
      stop();
      return result;
    }
    return adopt(result, then).then(
      (value) => {
        stop();
        return value;
      },
      (error: unknown) => {
        stop();
        throw error;
      },
    ) as R;
  }

  /**
   * Registers a gauge read at collection time (queue depth, open connections): `read` returns a
   * number or `{ value, tags }` entries. Returns the function that unregisters `read`.
   */
  observe(
    name: string,
    read: ObservedRead,
    options: Omit<MetricDefinition, 'kind' | 'buckets'> = {},
  ): () => void {
    requireFunction(read, 'custom', 'observe', name, 'read');
    let metric = this.observedMetrics.get(name);
    if (metric === undefined) {
      const existing = this.recorded.get(name);
      if (existing !== undefined) throw kindMismatch(name, existing.kind, 'observed');
      if (!this.definitions.has(name)) this.define(name, { ...options, kind: 'observed' });
      const definition = this.definitions.get(name);
      if (definition?.kind !== 'observed') {
        throw kindMismatch(name, definition?.kind ?? 'observed', 'observed');
      }
      if (this.isFull(name)) return () => {};
      const gauge = this.observableGauge(name);
      metric = new ObservedMetric(name, gauge, this.maxSeries, this.guard, this.isOn);
      this.observedMetrics.set(name, metric);
    }
    return metric.add(read);
  }

  /** Everything the facade tracks (and the observed gauges, read now), JSON-ready. */
  snapshot(): CustomMetricsSnapshot {
    const since = monotonicSeconds() - this.startedAt;
    const out: CustomMetricsSnapshot = {
      enabled: this.isOn(),
      sinceSeconds: since,
      counters: {},
      upDownCounters: {},
      gauges: {},
      timings: {},
      items: {},
      observed: {},
    };
    for (const name of [...this.recorded.keys()].sort()) {
      const metric = this.recorded.get(name) as CustomMetric;
      const section = out[SECTION_OF[metric.kind as RecordedKind]] as Record<string, unknown[]>;
      section[name] = metric.snapshot(since);
    }
    for (const name of [...this.observedMetrics.keys()].sort()) {
      out.observed[name] = this.isOn() ? (this.observedMetrics.get(name)?.snapshot() ?? []) : [];
    }
    return out;
  }

  /** The snapshot, so that `JSON.stringify(custom)` prints it. */
  toJSON(): CustomMetricsSnapshot {
    return this.snapshot();
  }

  /**
   * Forgets the snapshot figures and restarts the throughput clock. OTel instruments are
   * cumulative and keep their totals (a Prometheus counter never goes backwards).
   */
  reset(): void {
    for (const metric of this.recorded.values()) metric.reset();
    this.startedAt = monotonicSeconds();
  }

  /** Re-creates the guard's counters and every metric's instrument on the current meter. */
  protected updateMetricInstruments(): void {
    this.guard.bind(this.meter);
    for (const metric of this.recorded.values()) {
      const kind = metric.kind as RecordedKind;
      metric.bind(createRecorded(this.meter, metric.name, kind, this.definitions.get(metric.name)));
    }
    for (const metric of this.observedMetrics.values()) {
      metric.bind(this.observableGauge(metric.name));
    }
  }

  private observableGauge(name: string) {
    const definition = this.definitions.get(name);
    return this.meter.createObservableGauge(name, describe(name, 'observed', definition));
  }

  private metric(name: string, kind: RecordedKind): CustomMetric | undefined {
    const existing = this.recorded.get(name);
    if (existing !== undefined) {
      if (existing.kind === kind) return existing;
      throw kindMismatch(name, existing.kind, kind);
    }
    return this.create(name, kind);
  }

  private create(name: string, kind: RecordedKind): CustomMetric | undefined {
    validateMetricName(name);
    if (this.observedMetrics.has(name)) throw kindMismatch(name, 'observed', kind);
    const definition = this.definitions.get(name);
    if (definition !== undefined && definition.kind !== kind) {
      throw kindMismatch(name, definition.kind as MetricKind, kind);
    }
    if (this.isFull(name)) return undefined;
    const instrument = createRecorded(this.meter, name, kind, definition);
    const metric = new CustomMetric(name, kind, instrument, this.maxSeries, this.guard);
    this.recorded.set(name, metric);
    return metric;
  }

  private isFull(name: string): boolean {
    if (this.recorded.size + this.observedMetrics.size < this.maxMetrics) return false;
    this.guard.count(name, ADJUSTMENT_TOO_MANY_METRICS);
    if (!this.warnedFull) {
      this.warnedFull = true;
      diag.warn(
        `opmeter: custom metrics are capped at ${this.maxMetrics} names; "${name}" and further ` +
          'new names are dropped (raise maxMetrics, or use tags instead of names for variants)',
      );
    }
    return true;
  }

  private finite(value: number, name: string): boolean {
    if (typeof value === 'number' && Number.isFinite(value)) return true;
    this.guard.count(name, ADJUSTMENT_NOT_FINITE);
    return false;
  }
}

/** The limits of the facade and their defaults; each must be a positive integer. */
const LIMITS = {
  maxSeriesPerMetric: DEFAULT_MAX_SERIES_PER_METRIC,
  maxMetrics: DEFAULT_MAX_METRICS,
} as const;
