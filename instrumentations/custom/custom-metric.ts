import type { Attributes } from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { ATTR_OPMETER_OVERFLOW, type MetricKind } from './semconv.js';
import type { Series } from './series.js';
import { seriesKey } from './tags.js';

/** `opmeter.input.adjusted` reason of a measurement moved to the overflow series. */
export const ADJUSTMENT_SERIES_OVERFLOW = 'series_overflow';

const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ [ATTR_OPMETER_OVERFLOW]: true });

/** How a measurement reaches the OTel instrument (`add` or `record`). */
export type Write = (value: number, attributes: Attributes | undefined) => void;

/** The OTel instrument of a recorded metric: how to write to it, and the snapshot series it keeps. */
export interface RecordedInstrument {
  readonly write: Write;
  readonly newSeries: () => Series<unknown>;
}

/**
 * One recorded custom metric: its OTel instrument and, for the snapshot, one {@link Series} per
 * tag set. Past `maxSeries` tag sets, further ones are recorded (in OTel too) under the single tag
 * `opmeter.overflow=true`, and counted, so neither memory nor exported cardinality is unbounded.
 */
export class CustomMetric {
  private series = new Map<string, { tags: Attributes; series: Series<unknown> }>();
  private overflow: Series<unknown> | undefined;
  private write: Write;
  private readonly newSeries: () => Series<unknown>;

  /** Creates the metric `name` of `kind` writing to `instrument`. */
  constructor(
    readonly name: string,
    readonly kind: MetricKind,
    instrument: RecordedInstrument,
    private readonly maxSeries: number,
    private readonly guard: InputGuard,
  ) {
    this.write = instrument.write;
    this.newSeries = instrument.newSeries;
  }

  /** Writes to `instrument` from now on (a new MeterProvider); the snapshot series are kept. */
  bind(instrument: RecordedInstrument): void {
    this.write = instrument.write;
  }

  /** Records `value` under `attributes` on the instrument and in the snapshot series. */
  record(value: number, attributes: Attributes | undefined): void {
    const key = seriesKey(attributes);
    const entry = this.series.get(key);
    if (entry !== undefined) {
      entry.series.add(value);
      this.write(value, attributes);
      return;
    }
    if (this.series.size < this.maxSeries) {
      const series = this.newSeries();
      this.series.set(key, { tags: attributes ?? {}, series });
      series.add(value);
      this.write(value, attributes);
      return;
    }
    this.guard.count(this.name, ADJUSTMENT_SERIES_OVERFLOW);
    this.overflow ??= this.newSeries();
    this.overflow.add(value);
    this.write(value, OVERFLOW_ATTRIBUTES);
  }

  /** Every series' figures (the overflow series last). */
  snapshot(sinceSeconds: number): unknown[] {
    const out = [...this.series.values()].map((e) => e.series.snapshot(e.tags, sinceSeconds));
    if (this.overflow !== undefined) {
      out.push(this.overflow.snapshot({ ...OVERFLOW_ATTRIBUTES }, sinceSeconds));
    }
    return out;
  }

  /** Forgets the snapshot series (the OTel instrument keeps its cumulative values). */
  reset(): void {
    this.series = new Map();
    this.overflow = undefined;
  }
}
