import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type {
  Attributes,
  BatchObservableResult,
  Meter,
  ObservableCounter,
  ObservableGauge,
} from '@opentelemetry/api';
import { BatchRegistration } from '../batch-registration.js';
import type { RuntimeCollector } from '../collector.js';
import {
  ATTR_NODEJS_EVENTLOOP_STATE,
  METRIC_NODEJS_EVENTLOOP_TIME,
  METRIC_NODEJS_EVENTLOOP_UTILIZATION,
  NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE,
  NODEJS_EVENTLOOP_STATE_VALUE_IDLE,
} from '../semconv.js';

const ACTIVE: Attributes = { [ATTR_NODEJS_EVENTLOOP_STATE]: NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE };
const IDLE: Attributes = { [ATTR_NODEJS_EVENTLOOP_STATE]: NODEJS_EVENTLOOP_STATE_VALUE_IDLE };

/**
 * Event-loop utilization (busy share since the previous collection) and cumulative active/idle
 * time, both from one `performance.eventLoopUtilization()` reading per collection.
 */
export class EventLoopUtilizationCollector implements RuntimeCollector {
  private readonly utilization: ObservableGauge;
  private readonly time: ObservableCounter;
  private readonly registration: BatchRegistration;
  private last: EventLoopUtilization = performance.eventLoopUtilization();

  /** Creates the utilization gauge and the time counter on `meter`. */
  constructor(meter: Meter) {
    this.utilization = meter.createObservableGauge(METRIC_NODEJS_EVENTLOOP_UTILIZATION, {
      description: 'Share of time the event loop was busy since the previous collection (0 to 1)',
      unit: '1',
    });
    this.time = meter.createObservableCounter(METRIC_NODEJS_EVENTLOOP_TIME, {
      description: 'Cumulative time the event loop spent active or idle',
      unit: 's',
    });
    this.registration = new BatchRegistration(meter, [this.utilization, this.time], (result) =>
      this.observe(result),
    );
  }

  /** Registers the callback; utilization is measured from this moment. */
  enable(): void {
    if (this.registration.isRegistered) return;
    this.last = performance.eventLoopUtilization();
    this.registration.add();
  }

  /** Removes the callback. */
  disable(): void {
    this.registration.remove();
  }

  private observe(result: BatchObservableResult): void {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    if (Number.isFinite(delta.utilization) && delta.active + delta.idle > 0) {
      result.observe(this.utilization, delta.utilization);
    }
    result.observe(this.time, now.active / 1000, ACTIVE);
    result.observe(this.time, now.idle / 1000, IDLE);
  }
}
