import {
  type AggregationOption,
  AggregationType,
  createAllowListAttributesProcessor,
  createDenyListAttributesProcessor,
  type IAttributesProcessor,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { DEFAULT_CARDINALITY_LIMIT } from '../config.js';
import type { AttributeFilter, ViewConfig } from './types.js';
import { type ValidView, validateViews } from './validate.js';

/**
 * Validates opmeter views and returns them as sdk-metrics `ViewOptions`, e.g. for the `views` of
 * an application's own `NodeSDK` or `MeterProvider`.
 * @throws OpmeterConfigError saying which view is wrong and how to fix it.
 * @example new NodeSDK({ views: createViews([{ instrument: 'debug.*', drop: true }]) })
 */
export function createViews(
  views: readonly ViewConfig[],
  cardinalityLimit: number = DEFAULT_CARDINALITY_LIMIT,
): ViewOptions[] {
  return toViewOptions(validateViews(views), cardinalityLimit);
}

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
