import type { Histogram, Meter } from '@opentelemetry/api';
import type { InFlightSeries, InFlightSpec } from './in-flight.js';
import { durationHistogram } from './instruments.js';
import type { EndedOperation, OperationDomain } from './operation-domain.js';
import type { OperationSeries, OperationSeriesCache } from './operation-series.js';
import type { DefMetricRow } from './row-sink.js';

/** What a {@link SeriesDomain} declares besides its instruments. */
export interface SeriesDomainSpec {
  /** The def_metric table rows go to, when the domain has one. */
  readonly table?: string;
  /** The series of the domain's operations. */
  readonly series: OperationSeriesCache;
  /** Whether to read process memory when an operation ends. Default false. */
  readonly readsMemory?: boolean;
  /** The in-flight instruments, when the domain reports its operations in flight. */
  readonly inFlight?: InFlightSpec;
  /** Name and description of the duration histogram (seconds, by the series' outcome). */
  readonly duration: readonly [name: string, description: string];
}

/** The fields of an operation of an {@link OperationSeries}. */
export interface SeriesFields {
  /** The series of the operation: its attribute sets and operations in flight. */
  readonly series: OperationSeries;
}

/**
 * The base of a domain whose operations belong to an {@link OperationSeries}: it creates the
 * duration histogram and records every ended operation on it once, with the series' outcome set
 * (`partial` where {@link isPartial} says so), then hands it to {@link recordCounts} for the
 * domain's other instruments. A domain adds its instruments ({@link bindInstruments}) and rows.
 */
export abstract class SeriesDomain<F extends SeriesFields, Row extends object = DefMetricRow>
  implements OperationDomain<F, Row>
{
  readonly table: string | undefined;
  /** The series of the domain's operations (see {@link OperationSeriesCache.of}). */
  readonly series: OperationSeriesCache;
  readonly readsMemory: boolean;
  readonly inFlight: InFlightSpec | undefined;
  private duration!: Histogram;

  /** Describes the domain `name` (`workflow`) by `spec`. */
  constructor(
    readonly name: string,
    private readonly spec: SeriesDomainSpec,
  ) {
    this.table = spec.table;
    this.series = spec.series;
    this.readsMemory = spec.readsMemory ?? false;
    this.inFlight = spec.inFlight;
  }

  /** Creates the duration histogram with `boundaries` and the domain's instruments on `meter`. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    const [name, description] = this.spec.duration;
    this.duration = durationHistogram(meter, name, description, boundaries);
    this.bindInstruments(meter);
  }

  /** The operations in flight of the operation's series, when the domain reports them. */
  inFlightOf(fields: F): InFlightSeries | undefined {
    return this.inFlight === undefined ? undefined : fields.series.inFlight;
  }

  /** Records `operation` on the duration histogram (its count: the operations by outcome), then the rest. */
  record(operation: EndedOperation<F>): void {
    const attributes = operation.fields.series.outcomeOf(operation, this.isPartial(operation));
    this.duration.record(operation.durationSeconds, attributes);
    this.recordCounts(operation);
  }

  /** Creates the domain's instruments besides the duration histogram on `meter`. */
  protected abstract bindInstruments(meter: Meter): void;

  /** Records what `operation` counted on the domain's other instruments (nothing by default). */
  protected recordCounts(_operation: EndedOperation<F>): void {}

  /** Whether a successful `operation` is recorded with the partial outcome (never by default). */
  protected isPartial(_operation: EndedOperation<F>): boolean {
    return false;
  }
}
