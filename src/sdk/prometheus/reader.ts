import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

/**
 * The stock `PrometheusExporter` used purely as a pull `MetricReader` (cumulative temporality,
 * default aggregation): it never opens a port of its own, and it applies opmeter's per-instrument
 * cardinality cap to instruments that no view selects.
 */
export class PrometheusPullReader extends PrometheusExporter {
  readonly #cardinalityLimit: number;

  /** Creates the reader; each instrument keeps at most `cardinalityLimit` series. */
  constructor(cardinalityLimit: number) {
    super({ preventServerStart: true });
    this.#cardinalityLimit = cardinalityLimit;
  }

  /** The series cap for instruments without a view (views carry their own). */
  override selectCardinalityLimit(): number {
    return this.#cardinalityLimit;
  }
}
