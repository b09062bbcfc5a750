import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
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
  ATTR_CPU_MODE,
  CPU_MODE_VALUE_SYSTEM,
  CPU_MODE_VALUE_USER,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_CPU_UTILIZATION,
} from '../semconv.js';

const USER: Attributes = { [ATTR_CPU_MODE]: CPU_MODE_VALUE_USER };
const SYSTEM: Attributes = { [ATTR_CPU_MODE]: CPU_MODE_VALUE_SYSTEM };
const US_PER_S = 1e6;

/**
 * Process CPU time (cumulative) and utilization (CPU time since the previous collection divided
 * by the elapsed wall time and the cores available), from one `process.cpuUsage()` per collection.
 */
export class CpuCollector implements RuntimeCollector {
  private readonly time: ObservableCounter;
  private readonly utilization: ObservableGauge;
  private readonly registration: BatchRegistration;
  private readonly cores = Math.max(1, availableParallelism());
  private lastUsage: NodeJS.CpuUsage = process.cpuUsage();
  private lastAt = performance.now();

  /** Creates the CPU time counter and utilization gauge on `meter`. */
  constructor(meter: Meter) {
    this.time = meter.createObservableCounter(METRIC_PROCESS_CPU_TIME, {
      description: 'CPU time used by the process, by mode (user, system)',
      unit: 's',
    });
    this.utilization = meter.createObservableGauge(METRIC_PROCESS_CPU_UTILIZATION, {
      description:
        'CPU time since the previous collection divided by elapsed time and available cores (0 to 1), by mode',
      unit: '1',
    });
    this.registration = new BatchRegistration(meter, [this.time, this.utilization], (result) =>
      this.observe(result),
    );
  }

  /** Registers the callback; utilization is measured from this moment. */
  enable(): void {
    if (this.registration.isRegistered) return;
    this.lastUsage = process.cpuUsage();
    this.lastAt = performance.now();
    this.registration.add();
  }

  /** Removes the callback. */
  disable(): void {
    this.registration.remove();
  }

  private observe(result: BatchObservableResult): void {
    const usage = process.cpuUsage();
    const at = performance.now();
    result.observe(this.time, usage.user / US_PER_S, USER);
    result.observe(this.time, usage.system / US_PER_S, SYSTEM);
    const capacityUs = (at - this.lastAt) * 1000 * this.cores;
    if (capacityUs > 0) {
      result.observe(this.utilization, (usage.user - this.lastUsage.user) / capacityUs, USER);
      result.observe(this.utilization, (usage.system - this.lastUsage.system) / capacityUs, SYSTEM);
    }
    this.lastUsage = usage;
    this.lastAt = at;
  }
}
