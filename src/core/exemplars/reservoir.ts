import type { Attributes, SpanContext } from '@opentelemetry/api';

/** One exemplar: a measurement and the span it was recorded in. */
export interface Exemplar {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** The measured value. */
  readonly value: number;
  /** When it was measured, in milliseconds since the epoch. */
  readonly timestampMs: number;
}

/** Which measurements may become exemplars, as `OTEL_METRICS_EXEMPLAR_FILTER` says. */
export type ExemplarFilter = 'trace_based' | 'always_on' | 'always_off';

/** Series kept per instrument; past it, the oldest series not sampled again since it was kept or last passed over goes. */
export const MAX_EXEMPLAR_SERIES = 1000;
/** Longest series key kept (characters of the attributes' JSON); larger attribute sets keep no exemplar. */
export const MAX_EXEMPLAR_KEY_LENGTH = 2048;

interface Slot {
  traceId: string;
  spanId: string;
  value: number;
  timestampMs: number;
}

/** One series' slots (one per bucket) and whether it was sampled again since it was kept or last passed over. */
interface SeriesSlots {
  readonly slots: (Slot | undefined)[];
  used: boolean;
}

interface InstrumentExemplars {
  /** The boundaries the bucket index was computed with (`undefined` for counters). */
  readonly boundaries: readonly number[] | undefined;
  /** Series key → one slot per bucket (a counter has one), filled as exemplars arrive. */
  readonly series: Map<string, SeriesSlots>;
}

/**
 * Keeps, per instrument, series and bucket, the newest measurement recorded inside a span: a
 * fixed number of slots per series (one per bucket), overwritten in place, and at most
 * {@link MAX_EXEMPLAR_SERIES} series per instrument, each keyed by at most
 * {@link MAX_EXEMPLAR_KEY_LENGTH} characters, so memory stays bounded whatever the traffic. Like
 * the exposition's series cache, it treats an attributes object as immutable once recorded.
 */
export class ExemplarReservoir {
  /** Which measurements are kept; `always_off` turns capture off. */
  filter: ExemplarFilter = 'trace_based';
  readonly #instruments = new Map<string, InstrumentExemplars>();
  readonly #keys = new WeakMap<Attributes, string>();
  readonly #maxSeries: number;

  /** Creates an empty reservoir keeping at most `maxSeries` series per instrument. */
  constructor(maxSeries = MAX_EXEMPLAR_SERIES) {
    this.#maxSeries = maxSeries;
  }

  /** Declares an instrument whose measurements may be kept, with its bucket boundaries if a histogram. */
  declare(instrument: string, boundaries: readonly number[] | undefined): void {
    if (!this.#instruments.has(instrument)) {
      this.#instruments.set(instrument, { boundaries, series: new Map() });
    }
  }

  /** Keeps `value` as the newest exemplar of its series and bucket. */
  offer(instrument: string, attributes: Attributes, value: number, span: SpanContext): void {
    const entry = this.#instruments.get(instrument);
    if (entry === undefined) return;
    const key = this.#keyOf(attributes);
    if (key.length > MAX_EXEMPLAR_KEY_LENGTH) return;
    let series = entry.series.get(key);
    if (series === undefined) {
      if (entry.series.size >= this.#maxSeries) evictOne(entry.series);
      series = { slots: [], used: false };
      entry.series.set(key, series);
    } else {
      series.used = true;
    }
    const slots = series.slots;
    const bucket = entry.boundaries === undefined ? 0 : bucketOf(entry.boundaries, value);
    const slot = slots[bucket];
    const timestampMs = Date.now();
    if (slot === undefined) {
      slots[bucket] = { traceId: span.traceId, spanId: span.spanId, value, timestampMs };
    } else {
      slot.traceId = span.traceId;
      slot.spanId = span.spanId;
      slot.value = value;
      slot.timestampMs = timestampMs;
    }
  }

  /**
   * The newest exemplar of a series: of bucket `bucket` of a histogram whose boundaries are
   * `boundaries` (none when they differ from the ones recorded with, e.g. under a view), or of a
   * counter when `bucket` is `undefined`.
   */
  exemplar(
    instrument: string,
    attributes: Attributes,
    bucket: number | undefined,
    boundaries?: readonly number[],
  ): Exemplar | undefined {
    const entry = this.#instruments.get(instrument);
    if (entry === undefined || entry.series.size === 0) return undefined;
    if (bucket !== undefined && !sameBoundaries(entry.boundaries, boundaries)) return undefined;
    return entry.series.get(this.#keyOf(attributes))?.slots[bucket ?? 0];
  }

  /** Forgets every exemplar (declared instruments stay). */
  clear(): void {
    for (const entry of this.#instruments.values()) entry.series.clear();
  }

  #keyOf(attributes: Attributes): string {
    let key = this.#keys.get(attributes);
    if (key === undefined) {
      key = JSON.stringify(
        Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      this.#keys.set(attributes, key);
    }
    return key;
  }
}

/** Index of the explicit bucket holding `value`: `(b[i-1], b[i]]`, the last one past every boundary. */
/**
 * Drops one series, the second-chance way (amortised O(1), no reordering on the hot path): from
 * the oldest inserted on, a series sampled since the last pass loses its mark and goes to the
 * back; the first one found unmarked is dropped.
 */
function evictOne(series: Map<string, SeriesSlots>): void {
  for (const [key, entry] of series) {
    if (!entry.used) {
      series.delete(key);
      return;
    }
    entry.used = false;
    series.delete(key);
    series.set(key, entry);
  }
}

function bucketOf(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value > (boundaries[middle] ?? Number.POSITIVE_INFINITY)) low = middle + 1;
    else high = middle;
  }
  return low;
}

function sameBoundaries(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
