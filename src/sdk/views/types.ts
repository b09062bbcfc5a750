/**
 * Histogram aggregation of one instrument.
 * @example <caption>SLO thresholds 0.3 s and 2 s become exact `le` edges of the default workflow buckets</caption>
 * { kind: 'explicit', boundaries: WORKFLOW_DURATION_BUCKETS, slo: [0.3, 2] }
 * @example <caption>base-2 exponential histogram (OTLP and in-memory only: Prometheus cannot serve it)</caption>
 * { kind: 'exponential', maxSize: 160 }
 */
export type HistogramConfig =
  | {
      kind: 'explicit';
      /** Bucket upper bounds in the instrument's unit, sorted ascending, finite, >= 0. */
      boundaries: readonly number[];
      /** Service-level thresholds guaranteed to be bucket edges (merged into `boundaries`). */
      slo?: readonly number[];
    }
  | {
      kind: 'exponential';
      /** Maximum number of buckets per sign. Default 160. */
      maxSize?: number;
    };

/**
 * Which attribute keys survive on an instrument.
 * @example { kind: 'allow', keys: ['workflow.code', 'outcome'] }
 * @example { kind: 'deny', keys: ['user.id'] }
 */
export type AttributeFilter =
  | { kind: 'allow'; keys: readonly string[] }
  | { kind: 'deny'; keys: readonly string[] };

/** Selects the instruments a view applies to. */
export interface ViewSelector {
  /** Instrument name, exact (`workflow.duration`) or with `*` wildcards (`http.*`). */
  instrument: string;
  /** Meter (instrumentation scope) name, exact, e.g. `opmeter/workflow`. Default: any meter. */
  meter?: string;
}

/** Drops every measurement of the selected instruments: nothing is aggregated or exported. */
export interface DropView extends ViewSelector {
  drop: true;
}

/**
 * Changes how the selected instruments are aggregated. At least one setting is required.
 * @example
 * { instrument: 'workflow.duration', histogram: { kind: 'explicit', boundaries: [1, 10, 60], slo: [30] },
 *   attributes: { kind: 'allow', keys: ['workflow.code', 'outcome'] }, cardinalityLimit: 500 }
 */
export interface StreamView extends ViewSelector {
  drop?: false;
  histogram?: HistogramConfig;
  attributes?: AttributeFilter;
  /** Most series kept per instrument; later attribute sets go to `otel.metric.overflow="true"`. */
  cardinalityLimit?: number;
}

/** One user view: either drop an instrument or reshape its stream. */
export type ViewConfig = DropView | StreamView;
