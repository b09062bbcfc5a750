import type { BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import { BatchRegistration } from '../batch-registration.js';
import type { RuntimeCollector } from '../collector.js';
import { DelaySampler } from '../delay-sampler.js';
import {
  METRIC_NODEJS_EVENTLOOP_DELAY_MAX,
  METRIC_NODEJS_EVENTLOOP_DELAY_MEAN,
  METRIC_NODEJS_EVENTLOOP_DELAY_MIN,
  METRIC_NODEJS_EVENTLOOP_DELAY_P50,
  METRIC_NODEJS_EVENTLOOP_DELAY_P90,
  METRIC_NODEJS_EVENTLOOP_DELAY_P99,
  METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV,
} from '../semconv.js';

const NS_PER_S = 1e9;

/**
 * Event-loop delay statistics from a {@link DelaySampler}: how late a timer ticking every
 * `resolutionMs` fired. Each collection reports the window since the previous one and then clears
 * it; a window without samples reports nothing.
 */
export class EventLoopDelayCollector implements RuntimeCollector {
  private readonly p50: ObservableGauge;
  private readonly p90: ObservableGauge;
  private readonly p99: ObservableGauge;
  private readonly min: ObservableGauge;
  private readonly max: ObservableGauge;
  private readonly mean: ObservableGauge;
  private readonly stddev: ObservableGauge;
  private readonly registration: BatchRegistration;
  private readonly sampler: DelaySampler;

  /** Creates the delay gauges on `meter`; sampling every `resolutionMs` starts on `enable()`. */
  constructor(meter: Meter, resolutionMs: number) {
    this.sampler = new DelaySampler(resolutionMs);
    const gauge = (name: string, what: string) =>
      meter.createObservableGauge(name, {
        description: `${what} event-loop delay since the previous collection`,
        unit: 's',
      });
    this.p50 = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_P50, 'Median');
    this.p90 = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_P90, '90th percentile');
    this.p99 = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_P99, '99th percentile');
    this.min = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_MIN, 'Minimum');
    this.max = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_MAX, 'Maximum');
    this.mean = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_MEAN, 'Mean');
    this.stddev = gauge(METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV, 'Standard deviation of the');
    this.registration = new BatchRegistration(
      meter,
      [this.p50, this.p90, this.p99, this.min, this.max, this.mean, this.stddev],
      (result) => this.observe(result),
    );
  }

  /** Starts sampling and registers the callback. */
  enable(): void {
    this.sampler.start();
    this.registration.add();
  }

  /** Stops sampling and removes the callback. */
  disable(): void {
    this.registration.remove();
    this.sampler.stop();
  }

  private observe(result: BatchObservableResult): void {
    const h = this.sampler.histogram;
    if (h.count === 0) return;
    result.observe(this.p50, h.percentile(50) / NS_PER_S);
    result.observe(this.p90, h.percentile(90) / NS_PER_S);
    result.observe(this.p99, h.percentile(99) / NS_PER_S);
    result.observe(this.min, h.min / NS_PER_S);
    result.observe(this.max, h.max / NS_PER_S);
    result.observe(this.mean, h.mean / NS_PER_S);
    result.observe(this.stddev, h.stddev / NS_PER_S);
    this.sampler.reset();
  }
}
