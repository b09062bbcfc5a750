import type { Histogram, Meter } from '@opentelemetry/api';

/** The duration histogram `name` of a domain: seconds, `boundaries` as its advised bucket edges. */
export function durationHistogram(
  meter: Meter,
  name: string,
  description: string,
  boundaries: readonly number[],
): Histogram {
  return meter.createHistogram(name, {
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: [...boundaries] },
  });
}
