import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  DataPointType,
  type MetricData,
  type MetricDescriptor,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { ADJUSTMENT_DUPLICATE_SERIES, ADJUSTMENT_LABEL_COLLISION } from '../semconv.js';
import { escapeLabelValue } from './escape.js';
import { type ExemplarSource, exemplarSuffix } from './exemplars.js';
import { type Family, TARGET_INFO } from './family.js';
import { type FamilyDropReason, FamilyRegistry } from './family-registry.js';
import type { ExpositionFormat } from './format.js';
import { renderLabels } from './label-keys.js';
import { formatValue } from './numbers.js';
import { SeriesCache, type SeriesHeads } from './series-cache.js';
import { Slicer } from './slicer.js';
import { TextSink } from './text-sink.js';

/** Something the engine changed or left out so that the exposition stays valid. */
export type ExpositionAdjustment =
  | FamilyDropReason
  | typeof ADJUSTMENT_LABEL_COLLISION
  | typeof ADJUSTMENT_DUPLICATE_SERIES;

/** Options of an {@link ExpositionEngine}. */
export interface ExpositionOptions {
  /** Add `otel_scope_name` / `otel_scope_version` labels to every series (the OTel default). */
  scopeLabels: boolean;
  /** Longest rendering stretch before the event loop gets a turn. Default 4 ms. */
  sliceMs?: number;
  /** Exemplars for OpenMetrics bucket and counter lines. */
  exemplars?: ExemplarSource;
  /** Called for each adjustment (a label collision once per series, a dropped family once). */
  onAdjusted?: (adjustment: ExpositionAdjustment) => void;
}

/** One finished exposition. */
export interface Rendering {
  readonly format: ExpositionFormat;
  /**
   * The body in well-formed text chunks of 256 K characters or more (the last may be shorter);
   * their concatenation is the exposition.
   */
  readonly chunks: readonly string[];
  /** Sample lines written (each bucket line counts as one series, as in Prometheus). */
  readonly series: number;
}

interface Instrument {
  family: Family;
  series: SeriesCache;
}

/**
 * The text sink and slicer of a rendering, kept by the engine for the next one. Made per rendering,
 * they died with it, and a full GC between two scrapes then dropped their hidden classes and, with
 * them, V8's optimized code for the loops that use them (deoptimization reason "embedded weak
 * objects cleared"): the next scrape ran partly unoptimized, in about 1.8× the time.
 */
interface RenderTools {
  readonly sink: TextSink;
  readonly slicer: Slicer;
}

/** Render tools kept between renderings; renderings beyond this many at once make their own. */
const KEPT_TOOLS = 4;

/** The slicer's clock is read every 64 data points (a clock read costs more than a line). */
const SLICE_CHECK_MASK = 63;

const SCOPE_LABEL_NAMES = ['otel_scope_name', 'otel_scope_version', 'otel_scope_schema_url'];

/**
 * Renders collected `ResourceMetrics` as Prometheus text 0.0.4 or OpenMetrics 1.0.0. Label text
 * is built once per series and `le` text once per bucket layout; rendering yields to the event
 * loop between slices, so a scrape of many series never blocks it for long.
 */
export class ExpositionEngine {
  readonly #options: ExpositionOptions;
  readonly #registry: FamilyRegistry;
  readonly #instruments = new WeakMap<MetricDescriptor, Instrument | null>();
  readonly #targetInfo = new WeakMap<Resource, string>();
  readonly #bounds = new WeakMap<
    readonly number[],
    Map<ExpositionFormat, readonly (string | undefined)[]>
  >();
  readonly #reserved: ReadonlySet<string>;
  readonly #tools: RenderTools[] = [];

  /** Creates an engine; its caches live as long as it does. */
  constructor(options: ExpositionOptions) {
    this.#options = options;
    this.#registry = new FamilyRegistry(options.scopeLabels, (reason) => this.#adjusted(reason));
    // `le` and `quantile` belong to histograms and summaries: promtool refuses them elsewhere too.
    this.#reserved = new Set([...(options.scopeLabels ? SCOPE_LABEL_NAMES : []), 'le', 'quantile']);
  }

  /** Renders one collection in `format`; rejects with the signal's reason if it is aborted. */
  async render(
    resourceMetrics: ResourceMetrics,
    format: ExpositionFormat,
    signal?: AbortSignal,
  ): Promise<Rendering> {
    const tools = this.#tools.pop() ?? { sink: new TextSink(), slicer: new Slicer() };
    try {
      const slicer = tools.slicer.start(this.#options.sliceMs, signal);
      return await this.#renderWith(resourceMetrics, format, tools.sink, slicer);
    } finally {
      tools.sink.clear();
      tools.slicer.start(); // drops this rendering's abort signal
      if (this.#tools.length < KEPT_TOOLS) this.#tools.push(tools);
    }
  }

  async #renderWith(
    resourceMetrics: ResourceMetrics,
    format: ExpositionFormat,
    sink: TextSink,
    slicer: Slicer,
  ): Promise<Rendering> {
    // The SDK's collection ran in one stretch just before: the event loop turns first.
    await slicer.yieldWholeTurn();
    let series = 0;
    const target = this.#targetInfoLine(resourceMetrics.resource);
    if (target !== '') {
      sink.append(format.header(TARGET_INFO) + target);
      series++;
    }
    for (const [family, metrics] of this.#families(resourceMetrics.scopeMetrics)) {
      sink.append(format.header(family));
      const heads = await this.#headsOf(metrics, slicer);
      // Label texts of one lossless instrument cannot meet: duplicates are looked for otherwise only.
      const seen = heads.lossy ? new Set<string>() : undefined;
      const at: Cursor = { metric: 0, point: 0, index: 0, lines: 0 };
      while (!this.#writeSlice(sink, metrics, heads.list, seen, format, at, slicer)) {
        await slicer.yield();
      }
      series += at.lines;
    }
    sink.append(format.end);
    return { format, chunks: sink.finish(), series };
  }

  /**
   * The line heads of every data point of a family, in the order of its metrics and points (so
   * that heads render before anything is written), and whether their label texts may meet;
   * sliced like the writing.
   */
  async #headsOf(
    metrics: Array<[MetricData, Instrument]>,
    slicer: Slicer,
  ): Promise<{ list: SeriesHeads[]; lossy: boolean }> {
    const list: SeriesHeads[] = [];
    const at: Cursor = { metric: 0, point: 0, index: 0, lines: 0 };
    while (!headsSlice(metrics, list, at, slicer)) await slicer.yield();
    let lossy = metrics.length > 1;
    for (const [, instrument] of metrics) lossy ||= instrument.series.lossy;
    return { list, lossy };
  }

  /**
   * Writes a family's sample lines from `at` on until the slice is used up (synchronous, so the
   * loop runs in optimized code however often the rendering yields); true once all are written.
   */
  #writeSlice(
    sink: TextSink,
    metrics: Array<[MetricData, Instrument]>,
    heads: readonly SeriesHeads[],
    seen: Set<string> | undefined,
    format: ExpositionFormat,
    at: Cursor,
    slicer: Slicer,
  ): boolean {
    for (; at.metric < metrics.length; at.metric++, at.point = 0) {
      const metric = (metrics[at.metric] as [MetricData, Instrument])[0];
      const points = metric.dataPoints;
      while (at.point < points.length) {
        const point = points[at.point++] as MetricData['dataPoints'][number];
        const head = heads[at.index++] as SeriesHeads;
        if (seen === undefined || this.#isFirst(seen, head)) {
          at.lines += this.#write(sink, metric, point.attributes, point.value, head, format);
        }
        if ((at.index & SLICE_CHECK_MASK) === 0 && slicer.due()) return false;
      }
    }
    return true;
  }

  /** Whether `head`'s label text is not yet in `seen` (a duplicate is counted and left out). */
  #isFirst(seen: Set<string>, head: SeriesHeads): boolean {
    if (seen.has(head.labels)) {
      this.#adjusted(ADJUSTMENT_DUPLICATE_SERIES);
      return false;
    }
    seen.add(head.labels);
    return true;
  }

  #families(scopes: readonly ScopeMetrics[]): Map<Family, Array<[MetricData, Instrument]>> {
    const families = new Map<Family, Array<[MetricData, Instrument]>>();
    for (const { scope, metrics } of scopes) {
      for (const metric of metrics) {
        const instrument = this.#instrument(metric, scope);
        if (instrument === undefined) continue;
        const members = families.get(instrument.family);
        if (members === undefined) families.set(instrument.family, [[metric, instrument]]);
        else members.push([metric, instrument]);
      }
    }
    return families;
  }

  #instrument(metric: MetricData, scope: ScopeMetrics['scope']): Instrument | undefined {
    const known = this.#instruments.get(metric.descriptor);
    if (known !== undefined) return known ?? undefined;
    const family = this.#registry.familyOf(metric, scope);
    const instrument = family && {
      family,
      series: new SeriesCache(
        family.sampleName,
        family.type,
        this.#options.scopeLabels ? scopeLabelText(scope) : '',
        this.#reserved,
        () => this.#adjusted(ADJUSTMENT_LABEL_COLLISION),
      ),
    };
    this.#instruments.set(metric.descriptor, instrument ?? null);
    return instrument;
  }

  /** Writes the sample lines of one data point; returns how many. */
  #write(
    sink: TextSink,
    metric: MetricData,
    attributes: Attributes,
    value: MetricData['dataPoints'][number]['value'],
    heads: SeriesHeads,
    format: ExpositionFormat,
  ): number {
    const exemplars = format.id === 'openmetrics' ? this.#options.exemplars : undefined;
    if (typeof value === 'number') {
      sink.append(heads.main);
      sink.append(formatValue(value));
      if (exemplars && metric.dataPointType === DataPointType.SUM && metric.isMonotonic) {
        sink.append(exemplarSuffix(exemplars.exemplar(metric.descriptor, attributes, undefined)));
      }
      sink.newline();
      return 1;
    }
    if (!('buckets' in value)) return 0;
    const bounds = this.#boundTexts(value.buckets.boundaries, format);
    const counts = value.buckets.counts;
    let cumulative = 0;
    let written = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i] ?? 0;
      const bound = bounds[i];
      if (bound === undefined) continue;
      sink.append(heads.main);
      sink.append(bound);
      sink.append(formatValue(cumulative));
      if (exemplars) {
        const { boundaries } = value.buckets;
        sink.append(
          exemplarSuffix(exemplars.exemplar(metric.descriptor, attributes, i, boundaries)),
        );
      }
      sink.newline();
      written++;
    }
    if (value.sum !== undefined) {
      sink.append(heads.sum);
      sink.append(formatValue(value.sum));
      sink.newline();
      written++;
    }
    if (value.sum !== undefined || format.countWithoutSum) {
      sink.append(heads.count);
      sink.append(formatValue(value.count));
      sink.newline();
      written++;
    }
    return written;
  }

  /**
   * `le="…"} ` per bucket count index for this format, `+Inf` at the last one. An index whose
   * text equals the next one's (duplicate or `-0`/`0` bounds) or whose bound is NaN is left
   * `undefined`: its count is carried into the next bucket written, so `le` values stay unique.
   */
  #boundTexts(
    boundaries: readonly number[],
    format: ExpositionFormat,
  ): readonly (string | undefined)[] {
    let perFormat = this.#bounds.get(boundaries);
    if (perFormat === undefined) {
      perFormat = new Map();
      this.#bounds.set(boundaries, perFormat);
    }
    let texts = perFormat.get(format);
    if (texts === undefined) {
      const all = [...boundaries, Number.POSITIVE_INFINITY].map((bound) =>
        Number.isNaN(bound) ? undefined : format.bound(bound),
      );
      texts = all.map((text, i) =>
        text === undefined || text === all[i + 1] ? undefined : `le="${text}"} `,
      );
      perFormat.set(format, texts);
    }
    return texts;
  }

  #targetInfoLine(resource: Resource): string {
    let line = this.#targetInfo.get(resource);
    if (line === undefined) {
      const labels = renderLabels(resource.attributes, new Set());
      if (labels.collided) this.#adjusted(ADJUSTMENT_LABEL_COLLISION);
      line = labels.text === '' ? '' : `target_info{${labels.text}} 1\n`;
      this.#targetInfo.set(resource, line);
    }
    return line;
  }

  #adjusted(adjustment: ExpositionAdjustment): void {
    this.#options.onAdjusted?.(adjustment);
  }
}

/** Where a family's heads or lines stand between two slices: metric, point, and lines written. */
interface Cursor {
  metric: number;
  point: number;
  /** Data points passed so far, over the family's metrics. */
  index: number;
  lines: number;
}

/** Appends the line heads of a family's points from `at` on to `list` until the slice is used up; true once all are in. */
function headsSlice(
  metrics: Array<[MetricData, Instrument]>,
  list: SeriesHeads[],
  at: Cursor,
  slicer: Slicer,
): boolean {
  for (; at.metric < metrics.length; at.metric++, at.point = 0) {
    const [metric, instrument] = metrics[at.metric] as [MetricData, Instrument];
    const points = metric.dataPoints;
    while (at.point < points.length) {
      const point = points[at.point++] as MetricData['dataPoints'][number];
      list.push(instrument.series.heads(point.attributes));
      if ((list.length & SLICE_CHECK_MASK) === 0 && slicer.due()) return false;
    }
  }
  return true;
}

function scopeLabelText(scope: ScopeMetrics['scope']): string {
  let text = `otel_scope_name="${escapeLabelValue(scope.name)}"`;
  if (scope.schemaUrl) text += `,otel_scope_schema_url="${escapeLabelValue(scope.schemaUrl)}"`;
  if (scope.version) text += `,otel_scope_version="${escapeLabelValue(scope.version)}"`;
  return text;
}
