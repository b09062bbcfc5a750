import { getHeapSpaceStatistics } from 'node:v8';
import type { Attributes, BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import { BatchRegistration } from '../batch-registration.js';
import type { RuntimeCollector } from '../collector.js';
import {
  ATTR_V8JS_HEAP_SPACE_NAME,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
  METRIC_V8JS_MEMORY_HEAP_USED,
} from '../semconv.js';

/**
 * V8 heap used and reserved per heap space (one `v8.getHeapSpaceStatistics()` per collection;
 * spaces that never held memory are left out) and the process resident set size
 * (`process.memoryUsage.rss()`, the cheap variant).
 */
export class MemoryCollector implements RuntimeCollector {
  private readonly heapUsed: ObservableGauge;
  private readonly heapSize: ObservableGauge;
  private readonly rss: ObservableGauge;
  private readonly registration: BatchRegistration;
  private readonly attributesBySpace = new Map<string, Attributes>();

  /** Creates the memory gauges on `meter`. */
  constructor(meter: Meter) {
    this.heapUsed = meter.createObservableGauge(METRIC_V8JS_MEMORY_HEAP_USED, {
      description: 'V8 heap memory in use, by heap space',
      unit: 'By',
    });
    this.heapSize = meter.createObservableGauge(METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE, {
      description: 'V8 heap memory reserved (heap total), by heap space',
      unit: 'By',
    });
    this.rss = meter.createObservableGauge(METRIC_PROCESS_MEMORY_USAGE, {
      description: 'Resident set size (physical memory in use) of the process',
      unit: 'By',
    });
    this.registration = new BatchRegistration(
      meter,
      [this.heapUsed, this.heapSize, this.rss],
      (result) => this.observe(result),
    );
  }

  /** Registers the callback. */
  enable(): void {
    this.registration.add();
  }

  /** Removes the callback. */
  disable(): void {
    this.registration.remove();
  }

  private observe(result: BatchObservableResult): void {
    for (const space of getHeapSpaceStatistics()) {
      // Spaces that never held memory (shared, read-only, …) are skipped until they do; once
      // reported, a space is always reported, so its series never freezes at a stale value.
      if (space.space_size === 0 && !this.attributesBySpace.has(space.space_name)) continue;
      const attributes = this.attributesOf(space.space_name);
      result.observe(this.heapUsed, space.space_used_size, attributes);
      result.observe(this.heapSize, space.space_size, attributes);
    }
    result.observe(this.rss, process.memoryUsage.rss());
  }

  private attributesOf(space: string): Attributes {
    let attributes = this.attributesBySpace.get(space);
    if (attributes === undefined) {
      attributes = { [ATTR_V8JS_HEAP_SPACE_NAME]: space };
      this.attributesBySpace.set(space, attributes);
    }
    return attributes;
  }
}
