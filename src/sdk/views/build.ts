import {
  type AggregationOption,
  AggregationType,
  createAllowListAttributesProcessor,
  createDenyListAttributesProcessor,
  type IAttributesProcessor,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { AttributeFilter } from './types.js';
import type { ValidView } from './validate.js';

/**
 * Turns validated opmeter views into sdk-metrics `ViewOptions`. Views without their own
 * `cardinalityLimit` get `defaultCardinalityLimit`, so no selected instrument is unbounded.
 */
export function toViewOptions(
  views: readonly ValidView[],
  defaultCardinalityLimit: number,
): ViewOptions[] {
  return views.map((view) => {
    const selector: ViewOptions = { instrumentName: view.instrument };
    if (view.meter !== undefined) selector.meterName = view.meter;
    if (view.drop === true) return { ...selector, aggregation: { type: AggregationType.DROP } };
    const options: ViewOptions = {
      ...selector,
      aggregationCardinalityLimit: view.cardinalityLimit ?? defaultCardinalityLimit,
    };
    const aggregation = toAggregation(view);
    if (aggregation !== undefined) options.aggregation = aggregation;
    if (view.attributes !== undefined) {
      options.attributesProcessors = [toAttributesProcessor(view.attributes)];
    }
    return options;
  });
}

function toAggregation(view: ValidView): AggregationOption | undefined {
  if (view.drop === true || view.histogram === undefined) return undefined;
  if (view.histogram.kind === 'exponential') {
    const options = view.histogram.maxSize === undefined ? {} : { maxSize: view.histogram.maxSize };
    return { type: AggregationType.EXPONENTIAL_HISTOGRAM, options };
  }
  return {
    type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
    options: { boundaries: view.boundaries ?? [...view.histogram.boundaries] },
  };
}

function toAttributesProcessor(filter: AttributeFilter): IAttributesProcessor {
  return filter.kind === 'allow'
    ? createAllowListAttributesProcessor([...filter.keys])
    : createDenyListAttributesProcessor([...filter.keys]);
}
