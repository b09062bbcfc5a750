import type { DefMetricRow, RowSink } from '../../src/core/row-sink.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { createTestMeterProvider } from './metric-reader.js';

/** A row sink that keeps every row in memory, to assert def_metric rows without a database. */
export class ArrayRowSink implements RowSink {
  readonly rows: { table: string; row: DefMetricRow }[] = [];
  /** Keeps one row. */
  enqueue(table: string, row: DefMetricRow): void {
    this.rows.push({ table, row });
  }
}

/**
 * Everything an instrumentation under test reports to: a test MeterProvider (with its collect
 * helpers), session statistics and an {@link ArrayRowSink}; `options` wires all three at once.
 */
export function createTestTargets() {
  const otel = createTestMeterProvider();
  const stats = new SessionStats();
  const rows = new ArrayRowSink();
  return { ...otel, stats, rows, options: { meterProvider: otel.meterProvider, stats, rows } };
}
