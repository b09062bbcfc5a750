import type { Counter, Meter } from '@opentelemetry/api';
import {
  ATTR_CLUSTER_REASON,
  ATTR_CLUSTER_WORKER,
  METRIC_CLUSTER_IPC_BYTES,
  METRIC_CLUSTER_REFUSED,
  METRIC_CLUSTER_REPORT_AGE,
  METRIC_CLUSTER_REPORTS,
  METRIC_CLUSTER_WORKERS,
} from './semconv.js';

/** A worker is no longer counted as reporting after this many silent intervals. */
const STALE_INTERVALS = 3;

/**
 * The aggregation's own figures, recorded on the primary's meter (so they are merged and served
 * like everything else): workers reporting, each one's last report age, reports, IPC bytes and
 * refusals. Workers are tracked only while they report: memory follows the live workers.
 */
export class ClusterSelfMetrics {
  readonly #lastReport = new Map<string, number>();
  readonly #reports: Counter;
  readonly #bytes: Counter;
  readonly #refused: Counter;
  readonly #staleMs: number;

  /** Creates the instruments on `meter`; `intervalMs` is the workers' report period. */
  constructor(meter: Meter, intervalMs: number) {
    this.#staleMs = STALE_INTERVALS * intervalMs;
    this.#reports = meter.createCounter(METRIC_CLUSTER_REPORTS, {
      description: 'Delta reports from workers merged by the primary',
      unit: '{report}',
    });
    this.#bytes = meter.createCounter(METRIC_CLUSTER_IPC_BYTES, {
      description: 'Bytes of delta reports received from workers (JSON length)',
      unit: 'By',
    });
    this.#refused = meter.createCounter(METRIC_CLUSTER_REFUSED, {
      description: 'Data points or reports from workers not merged as sent, by reason',
      unit: '{point}',
    });
    meter
      .createObservableGauge(METRIC_CLUSTER_WORKERS, {
        description: 'Workers (processes and threads) that reported within three intervals',
        unit: '{worker}',
      })
      .addCallback((result) => result.observe(this.reporting().length));
    meter
      .createObservableGauge(METRIC_CLUSTER_REPORT_AGE, {
        description: "Seconds since each reporting worker's last report",
        unit: 's',
      })
      .addCallback((result) => {
        const now = performance.now();
        for (const [worker, at] of this.#lastReport) {
          result.observe((now - at) / 1000, { [ATTR_CLUSTER_WORKER]: worker });
        }
      });
  }

  /** A report of `bytes` from `source` was merged. */
  reported(source: string, bytes: number): void {
    if (source !== 'primary') this.#lastReport.set(source, performance.now());
    this.#reports.add(1);
    this.#bytes.add(bytes);
  }

  /** `points` were refused for `reason`. */
  refused(reason: string, points: number): void {
    this.#refused.add(points, { [ATTR_CLUSTER_REASON]: reason });
  }

  /** `source` exited or went silent: it is no longer tracked. */
  exited(source: string): void {
    this.#lastReport.delete(source);
  }

  /** Workers that reported within three intervals. */
  reporting(): string[] {
    const now = performance.now();
    return [...this.#lastReport]
      .filter(([, at]) => now - at <= this.#staleMs)
      .map(([worker]) => worker);
  }

  /** Workers silent for more than three intervals. */
  staleSources(): string[] {
    const now = performance.now();
    return [...this.#lastReport]
      .filter(([, at]) => now - at > this.#staleMs)
      .map(([worker]) => worker);
  }
}
