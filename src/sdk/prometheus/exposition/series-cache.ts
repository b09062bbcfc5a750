import type { Attributes } from '@opentelemetry/api';
import type { FamilyType } from './family.js';
import { renderLabels, sanitizeLabelKey } from './label-keys.js';

/** The start of each sample line of one series, rendered once and reused while it lives. */
export interface SeriesHeads {
  /** The series' identity in its family: its label text, scope labels included. */
  readonly labels: string;
  /** `name{labels} ` for counters and gauges; `name_bucket{labels,` for histograms (`le` follows). */
  readonly main: string;
  /** `name_sum{labels} ` (histograms only). */
  readonly sum: string;
  /** `name_count{labels} ` (histograms only). */
  readonly count: string;
}

const NONE = '';

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
  /** Label name → the attribute key that took it first. */
  readonly #keyOfName = new Map<string, string>();
  #lossy = false;

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

  /**
   * Whether two attribute sets of this instrument may have rendered to the same label text: two
   * keys sanitised to one name, a non-string or repaired value, or merged keys. Until then every
   * series' label text is its own, and a rendering need not look for duplicates.
   */
  get lossy(): boolean {
    return this.#lossy;
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
    if (!rendered.exact) this.#lossy = true;
    for (const key of Object.keys(attributes)) {
      const name = sanitizeLabelKey(key, this.#reserved);
      const owner = this.#keyOfName.get(name);
      if (owner === undefined) this.#keyOfName.set(name, key);
      else if (owner !== key) this.#lossy = true;
    }
    const separator = rendered.text !== '' && this.#scopeLabels !== '' ? ',' : '';
    const labels = rendered.text + separator + this.#scopeLabels;
    const name = this.#sampleName;
    if (this.#type !== 'histogram') {
      const main = labels === '' ? `${name} ` : `${name}{${labels}} `;
      return {
        labels,
        main,
        sum: NONE,
        count: NONE,
      };
    }
    const braced = labels === '' ? ' ' : `{${labels}} `;
    return {
      labels,
      main: labels === '' ? `${name}_bucket{` : `${name}_bucket{${labels},`,
      sum: `${name}_sum${braced}`,
      count: `${name}_count${braced}`,
    };
  }
}
