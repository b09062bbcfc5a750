import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A pull reader kept in memory: `collect()` returns a cumulative snapshot on demand (session
 * statistics, tests). It holds no data between collections beyond the SDK's own aggregation state.
 */
export class InMemoryMetricReader extends MetricReader {
  /** Creates the reader; each instrument keeps at most `cardinalityLimit` series. */
  constructor(cardinalityLimit: number) {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => cardinalityLimit,
    });
  }

  /** Nothing is buffered, so there is nothing to flush. */
  protected override async onForceFlush(): Promise<void> {}

  /** Nothing to release. */
  protected override async onShutdown(): Promise<void> {}
}
