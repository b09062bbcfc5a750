import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { prometheusName, prometheusUnit } from '../../src/sdk/index.js';

function metric(
  name: string,
  unit: string,
  kind: 'counter' | 'updown' | 'gauge' | 'histogram',
): MetricData {
  const base = {
    descriptor: { name, unit, description: '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints: [],
  };
  if (kind === 'histogram') return { ...base, dataPointType: DataPointType.HISTOGRAM };
  if (kind === 'gauge') return { ...base, dataPointType: DataPointType.GAUGE };
  return { ...base, dataPointType: DataPointType.SUM, isMonotonic: kind === 'counter' };
}

describe('prometheusName', () => {
  it.each([
    ['workflow.duration', 's', 'histogram', 'workflow_duration_seconds'],
    ['event.processing.duration', 's', 'histogram', 'event_processing_duration_seconds'],
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['event.received', '{event}', 'counter', 'event_received_total'],
    ['batch.bytes.read', 'By', 'counter', 'batch_bytes_read_bytes_total'],
    ['process.memory.usage', 'By', 'updown', 'process_memory_usage_bytes'],
    ['payload.size', 'By', 'histogram', 'payload_size_bytes'],
    ['db.latency', 'ms', 'histogram', 'db_latency_milliseconds'],
    ['heap.limit', 'KiBy', 'gauge', 'heap_limit_kibibytes'],
    ['cpu.utilization', '1', 'gauge', 'cpu_utilization_ratio'],
    ['retries', '1', 'counter', 'retries_total'],
    ['disk.usage', '%', 'gauge', 'disk_usage_percent'],
    ['network.io', 'By/s', 'gauge', 'network_io_bytes_per_second'],
    ['queue.rate', '{message}/min', 'gauge', 'queue_rate_per_minute'],
    ['jobs.completed_total', '{job}', 'counter', 'jobs_completed_total'],
    ['request_duration_seconds', 's', 'histogram', 'request_duration_seconds'],
    ['io.time_seconds_total', 's', 'counter', 'io_time_seconds_total'],
    ['temperature', 'Cel', 'gauge', 'temperature_celsius'],
    ['widgets', 'widget', 'gauge', 'widgets_widget'],
    ['9lives', '', 'gauge', '_9lives'],
  ] as const)('%s [%s, %s] → %s', (name, unit, kind, expected) => {
    expect(prometheusName(metric(name, unit, kind)).name).toBe(expected);
  });

  it('reports the unit word for the # UNIT line, or nothing for annotations', () => {
    expect(prometheusName(metric('workflow.duration', 's', 'histogram')).unit).toBe('seconds');
    expect(prometheusName(metric('event.received', '{event}', 'counter')).unit).toBe('');
  });
});

describe('prometheusUnit', () => {
  it('maps UCUM to Prometheus words', () => {
    expect(prometheusUnit('s', false)).toBe('seconds');
    expect(prometheusUnit('By', false)).toBe('bytes');
    expect(prometheusUnit('KiBy', false)).toBe('kibibytes');
    expect(prometheusUnit('{request}', false)).toBe('');
    expect(prometheusUnit('1', true)).toBe('ratio');
    expect(prometheusUnit('1', false)).toBe('');
    expect(prometheusUnit('1/s', false)).toBe('per_second');
  });
});
