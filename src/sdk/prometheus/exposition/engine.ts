import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  DataPointType,
  type MetricData,
  type MetricDescriptor,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { escapeLabelValue } from './escape.js';
import { type ExemplarSource, exemplarSuffix } from './exemplars.js';
import { type Family, TARGET_INFO } from './family.js';
import { type FamilyDropReason, FamilyRegistry } from './family-registry.js';
import type { ExpositionFormat } from './format.js';
import { renderLabels } from './label-keys.js';
import { formatValue } from './numbers.js';
import { SeriesCache, type SeriesHeads } from './series-cache.js';
import { Slicer } from './slicer.js';

/** Something the engine changed or left out so that the exposition stays valid. */
export type ExpositionAdjustment = FamilyDropReason | 'label_collision' | 'duplicate_series';

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
  /** The body, in slices; their concatenation is the exposition text. */
  readonly chunks: readonly string[];
  /** UTF-8 length of the body. */
  readonly bytes: number;
  /** Sample lines written (each bucket line counts as one series, as in Prometheus). */
  readonly series: number;
}

interface Instrument {
  family: Family;
  series: SeriesCache;
}

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
  readonly #bounds = new WeakMap<readonly number[], Map<ExpositionFormat, readonly string[]>>();
  readonly #reserved: ReadonlySet<string>;
  readonly #histogramReserved: ReadonlySet<string>;

  /** Creates an engine; its caches live as long as it does. */
  constructor(options: ExpositionOptions) {
    this.#options = options;
    this.#registry = new FamilyRegistry(options.scopeLabels, (reason) => this.#adjusted(reason));
    this.#reserved = new Set(options.scopeLabels ? SCOPE_LABEL_NAMES : []);
    this.#histogramReserved = new Set([...this.#reserved, 'le']);
  }

  /** Renders one collection in `format`; rejects with the signal's reason if it is aborted. */
  async render(
    resourceMetrics: ResourceMetrics,
    format: ExpositionFormat,
    signal?: AbortSignal,
  ): Promise<Rendering> {
    const slicer = new Slicer(this.#options.sliceMs, signal);
    const chunks: string[] = [];
    let bytes = 0;
    let series = 0;
    let chunk = '';
    const flush = (): void => {
      chunks.push(chunk);
      bytes += Buffer.byteLength(chunk);
      chunk = '';
    };
    const target = this.#targetInfoLine(resourceMetrics.resource);
    if (target !== '') {
      chunk += format.header(TARGET_INFO) + target;
      series++;
    }
    for (const [family, metrics] of this.#families(resourceMetrics.scopeMetrics)) {
      chunk += format.header(family);
      const seen = new Set<string>();
      for (const [metric, instrument] of metrics) {
        for (const point of metric.dataPoints) {
          const heads = instrument.series.heads(point.attributes);
          if (seen.has(heads.main)) {
            this.#adjusted('duplicate_series');
            continue;
          }
          seen.add(heads.main);
          const lines = this.#lines(metric, point.attributes, point.value, heads, format);
          chunk += lines.text;
          series += lines.series;
          if (slicer.due()) {
            flush();
            await slicer.yield();
          }
        }
      }
    }
    chunk += format.end;
    flush();
    return { format, chunks, bytes, series };
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
        family.type === 'histogram' ? this.#histogramReserved : this.#reserved,
        () => this.#adjusted('label_collision'),
      ),
    };
    this.#instruments.set(metric.descriptor, instrument ?? null);
    return instrument;
  }

  #lines(
    metric: MetricData,
    attributes: Attributes,
    value: MetricData['dataPoints'][number]['value'],
    heads: SeriesHeads,
    format: ExpositionFormat,
  ): { text: string; series: number } {
    const exemplars = format.id === 'openmetrics' ? this.#options.exemplars : undefined;
    if (typeof value === 'number') {
      const exemplar =
        exemplars && metric.dataPointType === DataPointType.SUM && metric.isMonotonic
          ? exemplarSuffix(exemplars.exemplar(metric.descriptor, attributes, undefined))
          : '';
      return { text: `${heads.main}${formatValue(value)}${exemplar}\n`, series: 1 };
    }
    if (!('buckets' in value)) return { text: '', series: 0 };
    const bounds = this.#boundTexts(value.buckets.boundaries, format);
    const counts = value.buckets.counts;
    let text = '';
    let cumulative = 0;
    let written = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i] ?? 0;
      const bound = bounds[i];
      if (bound === undefined) continue;
      const exemplar = exemplars
        ? exemplarSuffix(exemplars.exemplar(metric.descriptor, attributes, i))
        : '';
      text += `${heads.main}${bound}${formatValue(cumulative)}${exemplar}\n`;
      written++;
    }
    if (value.sum !== undefined) {
      text += `${heads.sum}${formatValue(value.sum)}\n`;
      written++;
    }
    if (value.sum !== undefined || format.countWithoutSum) {
      text += `${heads.count}${formatValue(value.count)}\n`;
      written++;
    }
    return { text, series: written };
  }

  /**
   * `le="…"} ` per bucket count index for this format; the `+Inf` text sits at the last index
   * (and at an explicit infinite bound, after which nothing else is written).
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
      const finite = boundaries.filter((bound) => bound !== Number.POSITIVE_INFINITY);
      texts = [...finite, Number.POSITIVE_INFINITY].map((bound) => `le="${format.bound(bound)}"} `);
      perFormat.set(format, texts);
    }
    return texts;
  }

  #targetInfoLine(resource: Resource): string {
    let line = this.#targetInfo.get(resource);
    if (line === undefined) {
      const labels = renderLabels(resource.attributes, new Set());
      if (labels.collided) this.#adjusted('label_collision');
      line = labels.text === '' ? '' : `target_info{${labels.text}} 1\n`;
      this.#targetInfo.set(resource, line);
    }
    return line;
  }

  #adjusted(adjustment: ExpositionAdjustment): void {
    this.#options.onAdjusted?.(adjustment);
  }
}

function scopeLabelText(scope: ScopeMetrics['scope']): string {
  let text = `otel_scope_name="${escapeLabelValue(scope.name)}"`;
  if (scope.schemaUrl) text += `,otel_scope_schema_url="${escapeLabelValue(scope.schemaUrl)}"`;
  if (scope.version) text += `,otel_scope_version="${escapeLabelValue(scope.version)}"`;
  return text;
}
