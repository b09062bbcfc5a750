import type { MetricData } from '@opentelemetry/sdk-metrics';
import { metricKindOf } from '../../metric-kind.js';
import { prometheusName } from '../names.js';

/** The Prometheus types opmeter exposes. */
export type FamilyType = 'counter' | 'gauge' | 'histogram';

/** One metric family: its names, type and metadata, shared by the metrics merged into it. */
export interface Family {
  /** Sample name base: `x_total` (counters), `x_seconds` (histograms: `_bucket`, … appended). */
  readonly sampleName: string;
  /** Family name in OpenMetrics: the sample name without `_total` for counters. */
  readonly openMetricsName: string;
  readonly type: FamilyType;
  /** Unit word written in `# UNIT`, or `` when the family name does not end with it. */
  readonly unit: string;
  /** Description of the first metric that has one. */
  help: string;
  /** Every name this family puts in an exposition (family and sample names, both formats). */
  readonly claims: readonly string[];
}

/**
 * `target_info`, carrying the resource attributes: a gauge of value 1 in both formats, the form
 * the OTel compatibility spec gives for clients without info metrics, which every parser reads.
 */
export const TARGET_INFO: Family = {
  sampleName: 'target_info',
  openMetricsName: 'target_info',
  type: 'gauge',
  unit: '',
  help: 'Target metadata',
  claims: ['target_info'],
};

/** The family a metric would form, or `undefined` for types Prometheus cannot serve. */
export function describeFamily(metric: MetricData): Family | undefined {
  const type = familyType(metric);
  if (type === undefined) return undefined;
  const { name, unit } = prometheusName(metric);
  const openMetricsName = type === 'counter' ? name.slice(0, -'_total'.length) : name;
  return {
    sampleName: name,
    openMetricsName,
    type,
    unit: unit !== '' && openMetricsName.endsWith(`_${unit}`) ? unit : '',
    help: metric.descriptor.description,
    claims: claimsOf(name, openMetricsName, type),
  };
}

/** An up-down sum is a Prometheus gauge; exponential histograms have no family. */
function familyType(metric: MetricData): FamilyType | undefined {
  const kind = metricKindOf(metric);
  return kind === 'updown' ? 'gauge' : kind;
}

function claimsOf(name: string, openMetricsName: string, type: FamilyType): string[] {
  switch (type) {
    case 'counter':
      return [openMetricsName, name, `${openMetricsName}_created`];
    case 'gauge':
      return [name];
    case 'histogram':
      return ['', '_bucket', '_sum', '_count', '_created'].map((suffix) => name + suffix);
  }
}
