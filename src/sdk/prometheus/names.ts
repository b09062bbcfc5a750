import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { prometheusUnit, sanitize } from './units.js';

/** A metric's Prometheus family name and the unit word written in its `# UNIT` line. */
export interface PrometheusName {
  name: string;
  unit: string;
}

/**
 * Maps an OTel metric to its Prometheus name: dots become underscores, the base unit is appended
 * unless the name already ends with it, and monotonic sums (counters) end in `_total`.
 * @example `workflow.duration` (s, histogram) → `workflow_duration_seconds`
 * @example `event.received` ({event}, counter) → `event_received_total`
 */
export function prometheusName(metric: MetricData): PrometheusName {
  const isCounter = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
  const isGauge =
    metric.dataPointType === DataPointType.GAUGE ||
    (metric.dataPointType === DataPointType.SUM && !metric.isMonotonic);
  const unit = prometheusUnit(metric.descriptor.unit, isGauge);
  let name = sanitize(metric.descriptor.name);
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (isCounter && name.endsWith('_total')) name = name.slice(0, -'_total'.length);
  if (unit !== '' && !name.endsWith(`_${unit}`) && name !== unit) name = `${name}_${unit}`;
  return { name: isCounter ? `${name}_total` : name, unit };
}
