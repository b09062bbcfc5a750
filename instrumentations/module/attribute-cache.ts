import type { Attributes } from '@opentelemetry/api';
import { InFlightSeries } from '../../src/core/in-flight.js';
import { SeriesCache } from '../../src/core/series-cache.js';
import {
  ATTR_OPMETER_MODULE,
  ATTR_OPMETER_OPERATION,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';

/** The attribute objects and operations in flight of one (operation, package) pair. */
export interface OperationAttributes {
  readonly attributes: Attributes;
  readonly successAttributes: Attributes;
  readonly inFlight: InFlightSeries;
}

/**
 * The bounded cache of the (operation, package) pairs of `module`, so starting and ending an
 * operation allocates no attributes.
 */
export function moduleSeriesCache(module: string): SeriesCache<OperationAttributes> {
  return new SeriesCache((operation, pkg) => {
    const attributes: Attributes = {
      [ATTR_OPMETER_MODULE]: module,
      [ATTR_OPMETER_OPERATION]: operation,
      [ATTR_PACKAGE]: pkg,
    };
    return {
      attributes,
      successAttributes: { ...attributes, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS },
      inFlight: new InFlightSeries(attributes),
    };
  });
}
