import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import { ATTR_OPMETER_REASON } from '../../core/self-metrics.js';
import type { ExpositionAdjustment, Rendering } from './exposition/engine.js';
import {
  ATTR_PROMETHEUS_ENCODING,
  ATTR_PROMETHEUS_FORMAT,
  ATTR_PROMETHEUS_OUTCOME,
  METRIC_EXPOSITION_ADJUSTED,
  METRIC_SCRAPE_BODY_SIZE,
  METRIC_SCRAPE_DURATION,
  METRIC_SCRAPE_SERIES,
} from './semconv.js';

/** Bucket boundaries of the scrape duration, in seconds (5 ms to 10 s). */
const SCRAPE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How one scrape request ended. */
export interface ScrapeRecord {
  format: string;
  encoding: 'gzip' | 'identity';
  outcome: string;
  seconds: number;
  /** Body bytes sent; `undefined` when no exposition was sent. */
  bytes: number | undefined;
}

/** The endpoint's own metrics, recorded on the MeterProvider it serves. */
export class ScrapeSelfMetrics {
  readonly #duration: Histogram;
  readonly #bodySize: Gauge;
  readonly #series: Gauge;
  readonly #adjusted: Counter;

  /** Creates the instruments on `meter`. */
  constructor(meter: Meter) {
    this.#duration = meter.createHistogram(METRIC_SCRAPE_DURATION, {
      description: 'Prometheus scrape requests served, by format, encoding and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: SCRAPE_DURATION_BUCKETS },
    });
    this.#bodySize = meter.createGauge(METRIC_SCRAPE_BODY_SIZE, {
      description: 'Bytes of the last Prometheus scrape body sent, by format and encoding',
      unit: 'By',
    });
    this.#series = meter.createGauge(METRIC_SCRAPE_SERIES, {
      description: 'Sample lines in the last Prometheus exposition rendered, by format',
      unit: '{series}',
    });
    this.#adjusted = meter.createCounter(METRIC_EXPOSITION_ADJUSTED, {
      description: 'Changes made so that the Prometheus exposition stays valid, by reason',
      unit: '{adjustment}',
    });
  }

  /** Records one served (or refused) scrape request. */
  scraped(record: ScrapeRecord): void {
    const attributes = {
      [ATTR_PROMETHEUS_FORMAT]: record.format,
      [ATTR_PROMETHEUS_ENCODING]: record.encoding,
    };
    this.#duration.record(record.seconds, {
      ...attributes,
      [ATTR_PROMETHEUS_OUTCOME]: record.outcome,
    });
    if (record.bytes !== undefined) this.#bodySize.record(record.bytes, attributes);
  }

  /** Records the size of a finished rendering. */
  rendered(rendering: Rendering): void {
    this.#series.record(rendering.series, { [ATTR_PROMETHEUS_FORMAT]: rendering.format.id });
  }

  /** Counts one adjustment made for validity. */
  adjusted(adjustment: ExpositionAdjustment): void {
    this.#adjusted.add(1, { [ATTR_OPMETER_REASON]: adjustment });
  }
}
