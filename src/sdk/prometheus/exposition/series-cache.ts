import type { Attributes } from '@opentelemetry/api';
import type { FamilyType } from './family.js';
import { renderLabels } from './label-keys.js';

/** The start of each sample line of one series, rendered once and reused while it lives. */
export interface SeriesHeads {
  /** The series' identity in its family: its label text, scope labels included. */
  readonly labels: string;
  /** `name{labels} ` for counters and gauges; `name_bucket{labels,` for histograms (`le` follows). */
  readonly main: Buffer;
  /** `name_sum{labels} ` (histograms only). */
  readonly sum: Buffer;
  /** `name_count{labels} ` (histograms only). */
  readonly count: Buffer;
}

const NONE = Buffer.alloc(0);

/**
 * The rendered series of one instrument, keyed by the data point's attributes object. The SDK
 * keeps the same attributes object for a series across cumulative collections (it is the key of
 * its aggregation maps), so a scrape renders labels only for new series, and an entry goes away
 * with its series. Attributes are treated as immutable once recorded, as the SDK does.
 */
export class SeriesCache {
  readonly #heads = new WeakMap<Attributes, SeriesHeads>();
  readonly #sampleName: string;
  readonly #type: FamilyType;
  readonly #scopeLabels: string;
  readonly #reserved: ReadonlySet<string>;
  readonly #onCollision: () => void;

  /**
   * Creates the cache of one instrument: `scopeLabels` is the rendered scope label text (or ``),
   * `reserved` the label names attributes must not take, `onCollision` counts merged keys.
   */
  constructor(
    sampleName: string,
    type: FamilyType,
    scopeLabels: string,
    reserved: ReadonlySet<string>,
    onCollision: () => void,
  ) {
    this.#sampleName = sampleName;
    this.#type = type;
    this.#scopeLabels = scopeLabels;
    this.#reserved = reserved;
    this.#onCollision = onCollision;
  }

  /** The line heads of the series with these attributes. */
  heads(attributes: Attributes): SeriesHeads {
    let heads = this.#heads.get(attributes);
    if (heads === undefined) {
      heads = this.#render(attributes);
      this.#heads.set(attributes, heads);
    }
    return heads;
  }

  #render(attributes: Attributes): SeriesHeads {
    const rendered = renderLabels(attributes, this.#reserved);
    if (rendered.collided) this.#onCollision();
    const separator = rendered.text !== '' && this.#scopeLabels !== '' ? ',' : '';
    const labels = rendered.text + separator + this.#scopeLabels;
    const name = this.#sampleName;
    if (this.#type !== 'histogram') {
      const main = labels === '' ? `${name} ` : `${name}{${labels}} `;
      return { labels, main: Buffer.from(main), sum: NONE, count: NONE };
    }
    const braced = labels === '' ? ' ' : `{${labels}} `;
    return {
      labels,
      main: Buffer.from(labels === '' ? `${name}_bucket{` : `${name}_bucket{${labels},`),
      sum: Buffer.from(`${name}_sum${braced}`),
      count: Buffer.from(`${name}_count${braced}`),
    };
  }
}
