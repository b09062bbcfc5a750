import type { Attributes } from '@opentelemetry/api';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import type { Exemplar } from '../../../core/exemplars/reservoir.js';
import { formatValue } from './numbers.js';

export type { Exemplar } from '../../../core/exemplars/reservoir.js';

/**
 * Where OpenMetrics renderings find exemplars: `bucket` is the index into the histogram's bucket
 * counts (the last one is `+Inf`) and `boundaries` the data point's, both `undefined` for a
 * counter's `_total` sample. Looked up only while rendering OpenMetrics, once per bucket or
 * counter line, so it must be a cheap lookup.
 */
export interface ExemplarSource {
  exemplar(
    metric: MetricDescriptor,
    attributes: Attributes,
    bucket: number | undefined,
    boundaries?: readonly number[],
  ): Exemplar | undefined;
}

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;

/** The ` # {trace_id="…",span_id="…"} value timestamp` suffix of a sample line, or `` if invalid. */
export function exemplarSuffix(exemplar: Exemplar | undefined): string {
  if (
    exemplar === undefined ||
    !HEX_TRACE_ID.test(exemplar.traceId) ||
    !HEX_SPAN_ID.test(exemplar.spanId) ||
    !Number.isFinite(exemplar.timestampMs)
  ) {
    return '';
  }
  const labels = `trace_id="${exemplar.traceId}",span_id="${exemplar.spanId}"`;
  return ` # {${labels}} ${formatValue(exemplar.value)} ${exemplar.timestampMs / 1000}`;
}
