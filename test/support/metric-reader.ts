import { type Attributes, diag } from '@opentelemetry/api';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

/** A pull reader for tests: `collect()` on demand, nothing exported anywhere. */
export class TestMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A MeterProvider with a {@link TestMetricReader}, plus helpers to find metrics and points. */
export function createTestMeterProvider() {
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  /** All metrics currently collected, by name. */
  async function metrics(): Promise<Map<string, MetricData>> {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) diag.error('collect errors', errors);
    const out = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
    }
    return out;
  }
  /** The metric named `name`; throws when absent. */
  async function metric(name: string): Promise<MetricData> {
    const found = (await metrics()).get(name);
    if (found === undefined) throw new Error(`metric ${name} was not collected`);
    return found;
  }
  /** The data point of `name` whose attributes include all of `match`; throws when absent. */
  async function point<T = number | Histogram>(
    name: string,
    match: Attributes = {},
  ): Promise<DataPoint<T>> {
    const data = await metric(name);
    const points = data.dataPoints as DataPoint<T>[];
    const found = points.find((p) =>
      Object.entries(match).every(([key, value]) => p.attributes[key] === value),
    );
    if (found === undefined) {
      throw new Error(
        `no point of ${name} matches ${JSON.stringify(match)}; have ${JSON.stringify(points.map((p) => p.attributes))}`,
      );
    }
    return found;
  }
  return { reader, meterProvider, metrics, metric, point };
}
