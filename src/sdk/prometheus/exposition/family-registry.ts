import { diag } from '@opentelemetry/api';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { tupleKey } from '../../../core/tuple-key.js';
import {
  ADJUSTMENT_FAMILY_COLLISION,
  ADJUSTMENT_INVALID_NAME,
  ADJUSTMENT_UNSUPPORTED_TYPE,
} from '../semconv.js';
import { sanitize } from '../units.js';
import { describeFamily, type Family, TARGET_INFO } from './family.js';

/** Why a metric is left out of the exposition. */
export type FamilyDropReason =
  | typeof ADJUSTMENT_FAMILY_COLLISION
  | typeof ADJUSTMENT_INVALID_NAME
  | typeof ADJUSTMENT_UNSUPPORTED_TYPE;

/** A claimed family and the scopes whose metrics were merged into it. */
interface Claim {
  family: Family;
  scopes: Set<string>;
}

/**
 * Decides, once per instrument, which family its metric joins. The first metric seen owns the
 * family's names; a later metric with the same family name and type from another scope is merged
 * into it when scope labels tell their series apart; any other clash (`x` counter beside an
 * `x.total` gauge, `a.b` beside `a_b`, a gauge `h_bucket` beside a histogram `h`) would make a
 * duplicate or invalid family, so the later metric is dropped with one warning.
 */
export class FamilyRegistry {
  readonly #claims = new Map<string, Claim>();
  readonly #scopeLabels: boolean;
  readonly #onDrop: (reason: FamilyDropReason) => void;

  /** Creates the registry; `onDrop` counts each metric left out (once per instrument). */
  constructor(scopeLabels: boolean, onDrop: (reason: FamilyDropReason) => void) {
    this.#scopeLabels = scopeLabels;
    this.#onDrop = onDrop;
    for (const name of TARGET_INFO.claims) {
      this.#claims.set(name, { family: TARGET_INFO, scopes: new Set() });
    }
  }

  /**
   * The family `metric` joins, or `undefined` when it is left out. Its names stay claimed, so
   * ask once per instrument and keep the answer (the engine caches it per descriptor).
   */
  familyOf(metric: MetricData, scope: ScopeMetrics['scope']): Family | undefined {
    const name = metric.descriptor.name;
    if (sanitize(name) === '') {
      diag.warn(
        `opmeter: metric name ${JSON.stringify(name)} has no letter or digit to make a ` +
          'Prometheus name of, so the metric is left out of the exposition: rename the instrument',
      );
      this.#onDrop(ADJUSTMENT_INVALID_NAME);
      return undefined;
    }
    const wanted = describeFamily(metric);
    if (wanted === undefined) {
      diag.warn(
        `opmeter: metric ${name} has a data point type Prometheus cannot serve and is left out ` +
          'of the exposition: give it explicit-bucket histogram aggregation in a view',
      );
      this.#onDrop(ADJUSTMENT_UNSUPPORTED_TYPE);
      return undefined;
    }
    // An absent version or schema URL is the empty one, as on the scope labels.
    const scopeKey = tupleKey([scope.name, scope.version ?? '', scope.schemaUrl ?? '']);
    const clashes = new Set(wanted.claims.map((claim) => this.#claims.get(claim)).filter(Boolean));
    if (clashes.size === 0) {
      const claim = { family: wanted, scopes: new Set([scopeKey]) };
      for (const taken of wanted.claims) this.#claims.set(taken, claim);
      return wanted;
    }
    const [existing] = clashes;
    if (
      clashes.size === 1 &&
      existing !== undefined &&
      existing.family !== TARGET_INFO &&
      this.#scopeLabels &&
      existing.family.sampleName === wanted.sampleName &&
      existing.family.type === wanted.type &&
      !existing.scopes.has(scopeKey)
    ) {
      existing.scopes.add(scopeKey);
      if (existing.family.help === '') existing.family.help = wanted.help;
      return existing.family;
    }
    const owner = existing?.family.sampleName ?? wanted.sampleName;
    diag.warn(
      `opmeter: metric ${name} (${wanted.type} ${wanted.sampleName}) clashes with the Prometheus ` +
        `family ${owner} already exposed, and is left out of the exposition: rename one of the ` +
        'instruments so that their Prometheus names differ',
    );
    this.#onDrop(ADJUSTMENT_FAMILY_COLLISION);
    return undefined;
  }
}
