import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { isRecordingEnabled } from '../../../src/core/switch.js';
import type { RuntimeCollector } from '../collector.js';
import {
  ATTR_V8JS_GC_TYPE,
  METRIC_V8JS_GC_DURATION,
  V8JS_GC_TYPE_VALUE_INCREMENTAL,
  V8JS_GC_TYPE_VALUE_MAJOR,
  V8JS_GC_TYPE_VALUE_MINOR,
  V8JS_GC_TYPE_VALUE_WEAKCB,
} from '../semconv.js';

const ATTRIBUTES_BY_KIND = new Map<number, Attributes>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, { [ATTR_V8JS_GC_TYPE]: V8JS_GC_TYPE_VALUE_MAJOR }],
  [constants.NODE_PERFORMANCE_GC_MINOR, { [ATTR_V8JS_GC_TYPE]: V8JS_GC_TYPE_VALUE_MINOR }],
  [
    constants.NODE_PERFORMANCE_GC_INCREMENTAL,
    { [ATTR_V8JS_GC_TYPE]: V8JS_GC_TYPE_VALUE_INCREMENTAL },
  ],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, { [ATTR_V8JS_GC_TYPE]: V8JS_GC_TYPE_VALUE_WEAKCB }],
]);
const NO_ATTRIBUTES: Attributes = {};

/**
 * GC pauses from a `PerformanceObserver` on `gc` entries, recorded on a histogram by kind.
 * Unlike the other collectors this one records as GCs happen (V8 delivers entries in batches,
 * off the hot path of user code); `disable()` disconnects the observer.
 */
export class GcCollector implements RuntimeCollector {
  private readonly duration: Histogram;
  private observer: PerformanceObserver | undefined;

  /** Creates the GC duration histogram on `meter` with `boundaries` (seconds). */
  constructor(meter: Meter, boundaries: number[]) {
    this.duration = meter.createHistogram(METRIC_V8JS_GC_DURATION, {
      description: 'Garbage-collection pauses, by kind (major, minor, incremental, weakcb)',
      unit: 's',
      advice: { explicitBucketBoundaries: boundaries },
    });
  }

  /** Starts observing GC entries. */
  enable(): void {
    if (this.observer !== undefined) return;
    this.observer = new PerformanceObserver((list) => this.recordAll(list.getEntries()));
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops observing GC entries. */
  disable(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  private recordAll(entries: PerformanceEntry[]): void {
    if (!isRecordingEnabled()) return;
    for (const entry of entries) {
      const kind = kindOf(entry);
      const attributes =
        (kind === undefined ? undefined : ATTRIBUTES_BY_KIND.get(kind)) ?? NO_ATTRIBUTES;
      this.duration.record(entry.duration / 1000, attributes);
    }
  }
}

/** The GC kind of an entry: `detail.kind` (the property carrying it since Node 16). */
function kindOf(entry: PerformanceEntry): number | undefined {
  const detail = (entry as PerformanceEntry & { detail?: { kind?: unknown } | null }).detail;
  return typeof detail?.kind === 'number' ? detail.kind : undefined;
}
