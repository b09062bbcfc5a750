import type { Attributes, MeterProvider } from '@opentelemetry/api';
import {
  AggregationTemporality,
  MetricReader,
  MeterProvider as SdkMeterProvider,
} from '@opentelemetry/sdk-metrics';

class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A meter provider whose counter sums tests can read. */
export interface TestMeter {
  readonly meterProvider: MeterProvider;
  /** Sum of counter `name` over data points whose attributes include `match`. */
  sum(name: string, match?: Attributes): Promise<number>;
}

/** Creates an SDK meter provider with an in-memory reader. */
export function createTestMeter(): TestMeter {
  const reader = new TestMetricReader();
  const meterProvider = new SdkMeterProvider({ readers: [reader] });
  return {
    meterProvider,
    async sum(name, match = {}) {
      const { resourceMetrics } = await reader.collect();
      let total = 0;
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name !== name) continue;
          for (const point of metric.dataPoints) {
            const attributes = point.attributes as Attributes;
            if (Object.entries(match).every(([k, v]) => attributes[k] === v))
              total += point.value as number;
          }
        }
      }
      return total;
    },
  };
}
