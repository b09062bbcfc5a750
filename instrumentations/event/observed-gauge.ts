import {
  type Attributes,
  diag,
  type Meter,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { requireFunction } from '../../src/core/require-function.js';
import { ADJUSTMENT_NOT_FINITE } from '../../src/core/self-metrics.js';
import { isRecordingEnabled } from '../../src/core/switch.js';

/** Reads the current value of a gauge (queue length, open connections) when metrics are collected. */
export type GaugeReader = () => number;

/** Describes one observable gauge of the event domain. */
export interface ObservedGaugeSpec {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Attribute key that tells the registered sources apart (`event.queue`). */
  readonly labelKey: string;
  /** The method that registers a source, for its error messages (`observeQueueDepth`). */
  readonly method: string;
}

interface Source {
  readonly read: GaugeReader;
  readonly attributes: Attributes;
}

/**
 * One observable gauge fed by callbacks the application registers, read only at collection time
 * (zero cost per event). A reader that throws is skipped and counted on `opmeter.internal.errors`;
 * a negative, non-finite or non-number value is reported as 0 and counted on `opmeter.input.adjusted`.
 */
export class ObservedGauge {
  private readonly sources = new Map<string, Source>();
  private gauge: ObservableGauge | undefined;
  private readonly callback = (result: ObservableResult): void => this.observe(result);

  /** Creates the gauge on `meter`; it observes nothing until a source is added. */
  constructor(
    meter: Meter,
    private readonly spec: ObservedGaugeSpec,
    private readonly guard: InputGuard,
    private readonly enabled: () => boolean,
  ) {
    this.bind(meter);
  }

  /** (Re)creates the gauge on `meter`, detaching the previous one; sources are kept. */
  bind(meter: Meter): void {
    this.gauge?.removeCallback(this.callback);
    this.gauge = meter.createObservableGauge(this.spec.name, {
      description: this.spec.description,
      unit: this.spec.unit,
    });
    this.gauge.addCallback(this.callback);
  }

  /**
   * Observes `read()` under `label`, replacing any source with the same label.
   * @returns a function that removes this source again.
   * @throws TypeError when `read` is not a function.
   */
  add(label: string, read: GaugeReader): () => void {
    requireFunction(read, 'event', this.spec.method, label, 'read');
    const name = this.guard.text(label, this.spec.labelKey);
    const source: Source = { read, attributes: { [this.spec.labelKey]: name } };
    this.sources.set(name, source);
    return () => {
      if (this.sources.get(name) === source) this.sources.delete(name);
    };
  }

  private sanitise(value: unknown): number {
    if (typeof value === 'number') return this.guard.nonNegative(value, this.spec.name);
    this.guard.count(this.spec.name, ADJUSTMENT_NOT_FINITE);
    return 0;
  }

  private observe(result: ObservableResult): void {
    if (!isRecordingEnabled() || !this.enabled()) return;
    for (const source of this.sources.values()) {
      let value: number;
      try {
        value = source.read();
      } catch (error) {
        this.guard.internalError();
        diag.warn(`opmeter: a ${this.spec.name} reader threw; its value was skipped`, error);
        continue;
      }
      result.observe(this.sanitise(value), source.attributes);
    }
  }
}
