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
  /** When it was kept, in the reservoir's order of arrival (for {@link ExemplarReservoir.takeRecent}). */
  order: number;
}

/** One series' slots (one per bucket) and whether it was sampled again since it was kept or last passed over. */
interface SeriesSlots {
  /** The attributes the series was first kept with. */
  readonly attributes: Attributes;
  readonly slots: (Slot | undefined)[];
  used: boolean;
  /** The newest slot's order. */
  order: number;
}

/** One exemplar with where it belongs, as {@link ExemplarReservoir.takeRecent} returns it. */
export interface PlacedExemplar {
  readonly instrument: string;
  /** The instrument's boundaries (`undefined` for counters). */
  readonly boundaries: readonly number[] | undefined;
  readonly attributes: Attributes;
  /** Bucket index (histograms), `undefined` for counters. */
  readonly bucket: number | undefined;
  readonly exemplar: Exemplar;
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
  #order = 0;
  /** `#order` at the last {@link takeRecent}. */
  #taken = 0;

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
    const bucket = entry.boundaries === undefined ? 0 : bucketOf(entry.boundaries, value);
    this.#put(entry, attributes, bucket, span.traceId, span.spanId, value, Date.now());
  }

  /**
   * Keeps `exemplar` (recorded elsewhere, e.g. in a cluster worker) for its series and bucket
   * unless the one kept there is newer: newest wins. The instrument is declared with
   * `boundaries` if it is not yet; an exemplar of a histogram whose boundaries differ from the
   * declared ones, or whose bucket is out of range, is ignored.
   */
  merge(
    instrument: string,
    boundaries: readonly number[] | undefined,
    attributes: Attributes,
    bucket: number | undefined,
    exemplar: Exemplar,
  ): void {
    this.declare(instrument, boundaries);
    const entry = this.#instruments.get(instrument);
    if (entry === undefined || !sameBoundaries(entry.boundaries, boundaries)) return;
    const index = bucket ?? 0;
    const buckets = entry.boundaries === undefined ? 1 : entry.boundaries.length + 1;
    if (!Number.isInteger(index) || index < 0 || index >= buckets) return;
    const kept = entry.series.get(this.#keyOf(attributes))?.slots[index];
    if (kept !== undefined && kept.timestampMs > exemplar.timestampMs) return;
    const { traceId, spanId, value, timestampMs } = exemplar;
    this.#put(entry, attributes, index, traceId, spanId, value, timestampMs);
  }

  /**
   * The exemplars kept since the previous call (all of them the first time), newest first, at
   * most `limit`: a bounded read for sending them elsewhere. Older ones beyond `limit` are not
   * returned by a later call either. Walks every series once.
   */
  takeRecent(limit: number): PlacedExemplar[] {
    const since = this.#taken;
    this.#taken = this.#order;
    if (limit <= 0 || this.#order === since) return [];
    const found: Array<{ placed: PlacedExemplar; order: number }> = [];
    for (const [instrument, entry] of this.#instruments) {
      for (const { attributes, slots, order } of entry.series.values()) {
        if (order <= since) continue;
        slots.forEach((slot, index) => {
          if (slot === undefined || slot.order <= since) return;
          const { traceId, spanId, value, timestampMs } = slot;
          const bucket = entry.boundaries === undefined ? undefined : index;
          const exemplar = { traceId, spanId, value, timestampMs };
          const { boundaries } = entry;
          found.push({
            placed: { instrument, boundaries, attributes, bucket, exemplar },
            order: slot.order,
          });
        });
      }
    }
    found.sort((a, b) => b.order - a.order);
    return found.slice(0, limit).map(({ placed }) => placed);
  }

  /** Writes one exemplar into its series' slot. */
  #put(
    entry: InstrumentExemplars,
    attributes: Attributes,
    bucket: number,
    traceId: string,
    spanId: string,
    value: number,
    timestampMs: number,
  ): void {
    const key = this.#keyOf(attributes);
    if (key.length > MAX_EXEMPLAR_KEY_LENGTH) return;
    let series = entry.series.get(key);
    if (series === undefined) {
      if (entry.series.size >= this.#maxSeries) evictOne(entry.series);
      series = { attributes, slots: [], used: false, order: 0 };
      entry.series.set(key, series);
    } else {
      series.used = true;
    }
    const order = ++this.#order;
    series.order = order;
    const slots = series.slots;
    const slot = slots[bucket];
    if (slot === undefined) {
      slots[bucket] = { traceId, spanId, value, timestampMs, order };
    } else {
      slot.traceId = traceId;
      slot.spanId = spanId;
      slot.value = value;
      slot.timestampMs = timestampMs;
      slot.order = order;
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
