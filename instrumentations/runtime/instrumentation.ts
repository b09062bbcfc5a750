import type { Meter } from '@opentelemetry/api';
import { validateBoundaries } from '../../src/core/buckets.js';
import { MAX_TIMER_MS, positiveInteger } from '../../src/core/config-validation.js';
import { MeteredInstrumentation } from '../../src/core/lifecycle.js';
import type { RuntimeCollector } from './collector.js';
import { CpuCollector } from './collectors/cpu.js';
import { EventLoopDelayCollector } from './collectors/event-loop-delay.js';
import { EventLoopUtilizationCollector } from './collectors/event-loop-utilization.js';
import { GcCollector } from './collectors/gc.js';
import { MemoryCollector } from './collectors/memory.js';
import { DEFAULT_EVENT_LOOP_DELAY_RESOLUTION_MS, GC_DURATION_BUCKETS } from './semconv.js';
import type { RuntimeInstrumentationConfig } from './types.js';

/**
 * Node.js runtime resources as OTel metrics: event-loop delay and utilization, GC pauses, V8 heap
 * and RSS, CPU time and utilization. Everything but GC is an observable instrument read when a
 * reader collects, so the cost is paid per scrape, not per operation (see bench/runtime.bench.ts).
 * `disable()` removes every callback and stops the delay monitor and the GC observer.
 *
 * @example
 * const runtime = new RuntimeInstrumentation({ ...metrics, gc: false });
 * // later, to stop paying for it:
 * runtime.disable();
 */
export class RuntimeInstrumentation extends MeteredInstrumentation<RuntimeInstrumentationConfig> {
  private collectors: RuntimeCollector[];
  private enabled = false;

  /** Creates the instruments of the selected collectors; bad options throw here. */
  constructor(config: RuntimeInstrumentationConfig = {}) {
    super('runtime', config);
    this.collectors = collectorsOf(this.meter, this.getConfig());
    if (config.enabled !== false) this.enable();
  }

  /** Whether the collectors are running. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Starts every selected collector; idempotent. */
  enable(): void {
    if (this.enabled) return;
    for (const collector of this.collectors) collector.enable();
    this.enabled = true;
  }

  /** Stops every collector: no callback stays registered, no monitor or observer keeps running. */
  disable(): void {
    if (!this.enabled) return;
    for (const collector of this.collectors) collector.disable();
    this.enabled = false;
  }

  protected override validateConfig(config: RuntimeInstrumentationConfig): void {
    resolutionOf(config.eventLoopDelayResolutionMs);
    validateBoundaries(config.gcBuckets ?? GC_DURATION_BUCKETS, 'gcBuckets');
  }

  /** Rebuilds the collectors on the current meter, running again if they were. */
  protected updateMetricInstruments(): void {
    const running = this.enabled;
    this.disable();
    this.collectors = collectorsOf(this.meter, this.getConfig());
    if (running) this.enable();
  }
}

/** The collectors `config` selects, with their instruments on `meter`; bad options throw. */
function collectorsOf(meter: Meter, config: RuntimeInstrumentationConfig): RuntimeCollector[] {
  const collectors: RuntimeCollector[] = [];
  if (config.eventLoopDelay !== false) {
    const resolution = resolutionOf(config.eventLoopDelayResolutionMs);
    collectors.push(new EventLoopDelayCollector(meter, resolution));
  }
  if (config.eventLoopUtilization !== false) {
    collectors.push(new EventLoopUtilizationCollector(meter));
  }
  if (config.gc !== false) {
    const boundaries = validateBoundaries(config.gcBuckets ?? GC_DURATION_BUCKETS, 'gcBuckets');
    collectors.push(new GcCollector(meter, boundaries));
  }
  if (config.memory !== false) collectors.push(new MemoryCollector(meter));
  if (config.cpu !== false) collectors.push(new CpuCollector(meter));
  return collectors;
}

function resolutionOf(value: number | undefined): number {
  return positiveInteger(
    'RuntimeInstrumentation',
    'eventLoopDelayResolutionMs',
    value,
    DEFAULT_EVENT_LOOP_DELAY_RESOLUTION_MS,
    MAX_TIMER_MS,
  );
}
