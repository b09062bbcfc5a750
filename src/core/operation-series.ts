import type { Attributes } from '@opentelemetry/api';
import { InFlightSeries } from './in-flight.js';
import type { InputGuard } from './input-guard.js';
import type { EndedOperation } from './operation-domain.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';
import { DEFAULT_MAX_CACHED_SERIES, SeriesCache } from './series-cache.js';

/** Distinct `error.type` values (and derived sets) a series keeps; later ones are built per call. */
export const MAX_CACHED_ERROR_TYPES = 32;

/** The attribute a domain records an operation's outcome under, and its values. */
export interface OutcomeValues {
  /** The attribute (`outcome`, `batch.file.status`). */
  readonly key: string;
  readonly success: string;
  readonly failure: string;
  /** The outcome of a success with a flaw (notify's `partial`, batch's `skipped`), if any. */
  readonly partial?: string;
}

/** `outcome`: `success` or `failure`, the values of most domains. */
export const OUTCOME_VALUES: OutcomeValues = {
  key: ATTR_OUTCOME,
  success: OUTCOME_VALUE_SUCCESS,
  failure: OUTCOME_VALUE_FAILURE,
};

/** What names a domain's series: the attribute of its code, of its extra value, its outcomes. */
export interface SeriesKeys {
  /** Attribute of the code (`workflow.code`). */
  readonly code: string;
  /** Attribute of the extra value of a series (`notify.channel`), if the domain has one. */
  readonly extra?: string;
  /** Default {@link OUTCOME_VALUES}. */
  readonly outcomes?: OutcomeValues;
  /**
   * Declared length (characters) of the table's code column, from its YAML schema: codes are cut
   * to it, so the row is never refused for length and the attribute keeps the same value.
   */
  readonly codeLength?: number;
  /** Declared length of the table's `Package` column, likewise. */
  readonly packageLength?: number;
}

/**
 * Everything shared by the operations of one series — a code, a package and an optional extra
 * value (`workflow.mode`, `notify.channel`) — built once through the domain's {@link SeriesCache}
 * and handed to every operation, so recording one allocates no attribute object: the base set,
 * one set per outcome, the failure set per `error.type` and the sets derived with {@link with}
 * (both bounded by {@link MAX_CACHED_ERROR_TYPES}), and the series' operations in flight.
 */
export class OperationSeries {
  /** The package of the series. */
  readonly package: string;
  /** The base set: the code, the package and the extra value (when not ''), no outcome. */
  readonly attributes: Attributes;
  /** {@link attributes} plus the success outcome. */
  readonly successAttributes: Attributes;
  /** {@link attributes} plus the failure outcome, without `error.type`. */
  readonly failureAttributes: Attributes;
  /** {@link attributes} plus the partial outcome (the success set when the domain has none). */
  readonly partialAttributes: Attributes;
  private failures: SeriesCache<Attributes> | undefined;
  private derived: SeriesCache<Attributes> | undefined;
  private running: InFlightSeries | undefined;

  /** Builds the sets of the series (`code`, `pkg`, `extra`) of a domain named by `keys`. */
  constructor(
    readonly code: string,
    pkg: string,
    /** The extra value of the series, '' for none. */
    readonly extra: string,
    keys: SeriesKeys,
  ) {
    this.package = pkg;
    const attributes: Attributes = { [keys.code]: code, ...groupAttributes(keys, pkg, extra) };
    this.attributes = attributes;
    const outcomes = keys.outcomes ?? OUTCOME_VALUES;
    this.successAttributes = { ...attributes, [outcomes.key]: outcomes.success };
    this.failureAttributes = { ...attributes, [outcomes.key]: outcomes.failure };
    this.partialAttributes =
      outcomes.partial === undefined
        ? this.successAttributes
        : { ...attributes, [outcomes.key]: outcomes.partial };
  }

  /** The operations of this series in flight (created on first use). */
  get inFlight(): InFlightSeries {
    this.running ??= new InFlightSeries(this.attributes);
    return this.running;
  }

  /** The base set plus `key` = `value` (`workflow.step.outcome=completed`). */
  with(key: string, value: string): Attributes {
    this.derived ??= new SeriesCache(
      (k, v) => ({ ...this.attributes, [k]: v }),
      MAX_CACHED_ERROR_TYPES,
    );
    return this.derived.get(key, value);
  }

  /** The failure set with `error.type` = `errorType`. */
  failedWith(errorType: string): Attributes {
    this.failures ??= new SeriesCache(
      (type) => ({ ...this.failureAttributes, [ATTR_ERROR_TYPE]: type }),
      MAX_CACHED_ERROR_TYPES,
    );
    return this.failures.get(errorType);
  }

  /** The set `operation` is recorded with: success (partial when `partial`), or failure with its `error.type`. */
  outcomeOf(operation: EndedOperation<unknown>, partial = false): Attributes {
    if (operation.success) return partial ? this.partialAttributes : this.successAttributes;
    return this.failedWith(operation.errorType);
  }
}

/** The bounded cache of a domain's series (code, package, extra), named by its {@link SeriesKeys}. */
export class OperationSeriesCache extends SeriesCache<OperationSeries> {
  /** The sets of a package and an extra value without a code (for a domain that asks for them). */
  private groups: SeriesCache<Attributes> | undefined;

  /** Creates an empty cache of the series named by `keys`, keeping at most `max`. */
  constructor(
    readonly keys: SeriesKeys,
    private readonly max = DEFAULT_MAX_CACHED_SERIES,
  ) {
    super((code, pkg, extra) => new OperationSeries(code, pkg, extra, keys), max);
  }

  /**
   * The series of an operation named by user input: `code` and `pkg` read as strings (others
   * stringified) and cut to their columns' lengths, each adjustment counted by `guard`; `extra`
   * as given.
   */
  of(guard: InputGuard, code: unknown, pkg: unknown, extra = ''): OperationSeries {
    const safeCode = guard.text(code, this.keys.code, this.keys.codeLength);
    return this.get(safeCode, this.packageOf(guard, pkg), extra);
  }

  /** The package `pkg` of user input as {@link of} reads it, for attributes outside a series. */
  packageOf(guard: InputGuard, pkg: unknown): string {
    return guard.text(pkg, ATTR_PACKAGE, this.keys.packageLength);
  }

  /**
   * The set of package `pkg` (as {@link packageOf} reads it) and extra value `extra`, without a
   * code, for what a package's channel reports as a whole (notify's queue depth); kept per pair.
   */
  groupOf(pkg: string, extra: string): Attributes {
    this.groups ??= new SeriesCache((p, e) => groupAttributes(this.keys, p, e), this.max);
    return this.groups.get(pkg, extra);
  }
}

/** The set of `pkg` and `extra` (when not '') of a domain named by `keys`. */
function groupAttributes(keys: SeriesKeys, pkg: string, extra: string): Attributes {
  const attributes: Attributes = { [ATTR_PACKAGE]: pkg };
  if (keys.extra !== undefined && extra !== '') attributes[keys.extra] = extra;
  return attributes;
}
