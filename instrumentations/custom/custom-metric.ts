import type { Attributes } from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { ATTR_OPMETER_OVERFLOW, type MetricKind } from './semconv.js';
import type { Series } from './series.js';
import { TagSetIndex } from './tag-set-index.js';

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
 * A tag set once admitted stays admitted, as its cumulative OTel series stays exported: a reset
 * clears the snapshot's figures, not the bound.
 */
export class CustomMetric {
  private readonly series: TagSetIndex<TaggedSeries>;
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
    // room for each admitted tag set to be met in two orders of two tags; past it, sets are
    // found by their canonical key (slower, never wrong)
    this.series = new TagSetIndex(4 * maxSeries);
  }

  /** Writes to `instrument` from now on (a new MeterProvider); the snapshot series are kept. */
  bind(instrument: RecordedInstrument): void {
    this.write = instrument.write;
  }

  /** Records `value` under `attributes` on the instrument and in the snapshot series. */
  record(value: number, attributes: Attributes | undefined): void {
    const entry = this.series.get(attributes) ?? this.admit(attributes);
    if (entry !== undefined) {
      entry.series ??= this.newSeries();
      entry.series.add(value);
      this.write(value, attributes);
      return;
    }
    this.guard.count(this.name, ADJUSTMENT_SERIES_OVERFLOW);
    this.overflow ??= this.newSeries();
    this.overflow.add(value);
    this.write(value, OVERFLOW_ATTRIBUTES);
  }

  /** The figures of every series recorded since the last reset (the overflow series last). */
  snapshot(sinceSeconds: number): unknown[] {
    const out: unknown[] = [];
    for (const e of this.series.values()) {
      if (e.series !== undefined) out.push(e.series.snapshot({ ...e.tags }, sinceSeconds));
    }
    if (this.overflow !== undefined) {
      out.push(this.overflow.snapshot({ ...OVERFLOW_ATTRIBUTES }, sinceSeconds));
    }
    return out;
  }

  /** Forgets the snapshot's figures (the OTel instrument keeps its cumulative values). */
  reset(): void {
    for (const entry of this.series.values()) entry.series = undefined;
    this.overflow = undefined;
  }

  /** A new series for the unseen tag set `attributes`, unless `maxSeries` are held already. */
  private admit(attributes: Attributes | undefined): TaggedSeries | undefined {
    if (this.series.size >= this.maxSeries) return undefined;
    const entry: TaggedSeries = { tags: attributes ?? {}, series: undefined };
    this.series.add(attributes, entry);
    return entry;
  }
}

/** The snapshot series of one tag set, with the tags it was first recorded under. */
interface TaggedSeries {
  readonly tags: Attributes;
  /** The figures since the last reset; none when nothing was recorded since. */
  series: Series<unknown> | undefined;
}
