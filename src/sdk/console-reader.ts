import { ConsoleMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** A periodic reader printing every collection to stdout (`OTEL_METRICS_EXPORTER=console`), for debugging. */
export function createConsoleReader(
  exportIntervalMs: number,
  cardinalityLimit: number,
): PeriodicExportingMetricReader {
  return new PeriodicExportingMetricReader({
    exporter: new ConsoleMetricExporter(),
    exportIntervalMillis: exportIntervalMs,
    exportTimeoutMillis: Math.min(30_000, exportIntervalMs),
    cardinalityLimits: { default: cardinalityLimit },
  });
}
