import type { Meter } from '@opentelemetry/api';
import { resolveBuckets, validateBoundaries } from '../../src/core/buckets.js';
import { checkKeys, optionKeys } from '../../src/core/config-validation.js';
import type { RecordedInstrument } from './custom-metric.js';
import { CustomMetricError, validateMetricName, validateUnit } from './metric-name.js';
import { CUSTOM_TIMING_PRESETS, DEFAULT_UNITS, MetricKind } from './semconv.js';
import { GaugeSeries, ItemsSeries, SumSeries, TimingSeries } from './series.js';
import type { MetricDefinition } from './types.js';

/** The kinds recorded by a call (every kind but `observed`). */
export type RecordedKind = Exclude<MetricKind, 'observed'>;

const KINDS = new Set<string>(Object.values(MetricKind));
/** Every key of a {@link MetricDefinition}: a misspelt one is refused, not ignored. */
const DEFINITION_KEYS = optionKeys<MetricDefinition>({
  kind: true,
  unit: true,
  description: true,
  buckets: true,
});
const NOUNS: Readonly<Record<MetricKind, string>> = {
  counter: 'counter',
  upDownCounter: 'up-down counter',
  gauge: 'gauge',
  timing: 'timing',
  items: 'items counter',
  observed: 'observed gauge',
};
const LABELS: Readonly<Record<MetricKind, string>> = {
  counter: 'a counter',
  upDownCounter: 'an up-down counter',
  gauge: 'a gauge',
  timing: 'a timing',
  items: 'an items counter',
  observed: 'an observed gauge',
};

/**
 * Checks a definition of metric `name` and returns a normalised copy.
 * @throws CustomMetricError (or InvalidBucketsError) saying what to fix.
 */
export function checkDefinition(name: string, definition: MetricDefinition): MetricDefinition {
  validateMetricName(name);
  const kind = definition?.kind;
  if (!KINDS.has(kind)) {
    throw new CustomMetricError(
      `custom metric "${name}": kind ${JSON.stringify(kind)} is not one of ${[...KINDS].join(', ')}`,
    );
  }
  checkKeys(
    definition,
    DEFINITION_KEYS,
    `custom metric "${name}": the definition`,
    CustomMetricError,
  );
  if (definition.unit !== undefined) validateUnit(name, definition.unit);
  if (kind === 'timing' && definition.unit !== undefined && definition.unit !== 's') {
    throw new CustomMetricError(
      `custom metric "${name}": timings are recorded in seconds; remove unit ${JSON.stringify(definition.unit)} (it is always "s")`,
    );
  }
  if (definition.buckets !== undefined && kind !== 'timing') {
    throw new CustomMetricError(
      `custom metric "${name}": buckets apply to timings only, not to ${LABELS[kind]}`,
    );
  }
  const buckets =
    typeof definition.buckets === 'object'
      ? validateBoundaries(definition.buckets, `custom metric "${name}" buckets`)
      : definition.buckets;
  // A preset name is kept as given; resolving it here throws for an unknown one.
  if (typeof buckets === 'string') resolveBuckets(buckets, CUSTOM_TIMING_PRESETS);
  return { ...definition, buckets };
}

/** The error for metric `name`, already `existing`, being used as `wanted`. */
export function kindMismatch(name: string, existing: MetricKind, wanted: MetricKind): Error {
  return new CustomMetricError(
    `custom metric "${name}" is ${LABELS[existing]}; it cannot also be used as ${LABELS[wanted]} ` +
      '(OTel instruments have one kind): give the other measurement its own name',
  );
}

/** The unit and description of metric `name` of `kind`, from its definition or the defaults. */
export function describe(
  name: string,
  kind: MetricKind,
  definition: MetricDefinition | undefined,
): { unit: string; description: string } {
  return {
    unit: definition?.unit ?? DEFAULT_UNITS[kind],
    description: definition?.description ?? `Custom ${NOUNS[kind]} ${name}`,
  };
}

/** Creates the OTel instrument of a recorded metric; returns how to write to it and its series. */
export function createRecorded(
  meter: Meter,
  name: string,
  kind: RecordedKind,
  definition: MetricDefinition | undefined,
): RecordedInstrument {
  const options = describe(name, kind, definition);
  switch (kind) {
    case 'counter':
    case 'items': {
      const counter = meter.createCounter(name, options);
      return {
        write: (value, attributes) => counter.add(value, attributes),
        newSeries: kind === 'counter' ? () => new SumSeries() : () => new ItemsSeries(),
      };
    }
    case 'upDownCounter': {
      const upDown = meter.createUpDownCounter(name, options);
      return {
        write: (value, attributes) => upDown.add(value, attributes),
        newSeries: () => new SumSeries(),
      };
    }
    case 'gauge': {
      const gauge = meter.createGauge(name, options);
      return {
        write: (value, attributes) => gauge.record(value, attributes),
        newSeries: () => new GaugeSeries(),
      };
    }
    case 'timing': {
      const histogram = meter.createHistogram(name, {
        ...options,
        advice: {
          explicitBucketBoundaries: resolveBuckets(definition?.buckets, CUSTOM_TIMING_PRESETS),
        },
      });
      return {
        write: (value, attributes) => histogram.record(value, attributes),
        newSeries: () => new TimingSeries(),
      };
    }
  }
}
