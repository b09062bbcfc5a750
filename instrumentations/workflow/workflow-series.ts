import type { Attributes } from '@opentelemetry/api';
import { InFlightSeries } from '../../src/core/in-flight.js';
import { SeriesCache } from '../../src/core/series-cache.js';
import {
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  ATTR_WORKFLOW_MODE,
  ATTR_WORKFLOW_STEP_OUTCOME,
  OUTCOME_VALUE_SUCCESS,
  STEP_OUTCOME_VALUE_COMPLETED,
  STEP_OUTCOME_VALUE_FAILED,
  WORKFLOW_MODE_VALUES,
} from './semconv.js';
import type { ExecutionMode } from './types.js';

/** Distinct (code, package, mode) attribute sets kept for reuse; later ones are built per run. */
export const MAX_CACHED_WORKFLOW_SERIES = 1000;

/** The attribute sets and in-flight runs shared by every run of one code, package and mode. */
export interface WorkflowSeries {
  readonly code: string;
  readonly package: string;
  readonly mode: ExecutionMode | undefined;
  /** `workflow.code`, `package` and `workflow.mode` (when set). */
  readonly attributes: Attributes;
  /** {@link attributes} plus `outcome=success`. */
  readonly successAttributes: Attributes;
  /** {@link attributes} plus `workflow.step.outcome=completed`. */
  readonly completedStepAttributes: Attributes;
  /** {@link attributes} plus `workflow.step.outcome=failed`. */
  readonly failedStepAttributes: Attributes;
  /** The runs of this series in flight. */
  readonly inFlight: InFlightSeries;
}

/**
 * Builds each (code, package, mode) series once and hands the same objects to every run, so a
 * run allocates no attributes on the success path. Bounded: past
 * {@link MAX_CACHED_WORKFLOW_SERIES} series, new ones are built per run and not kept.
 */
export class WorkflowSeriesCache extends SeriesCache<WorkflowSeries> {
  /** Creates an empty cache. */
  constructor() {
    super(buildSeries, MAX_CACHED_WORKFLOW_SERIES);
  }
}

function buildSeries(code: string, pkg: string, modeText: string): WorkflowSeries {
  const mode = WORKFLOW_MODE_VALUES.find((value) => value === modeText);
  const attributes: Attributes = { [ATTR_WORKFLOW_CODE]: code, [ATTR_PACKAGE]: pkg };
  if (mode !== undefined) attributes[ATTR_WORKFLOW_MODE] = mode;
  return {
    code,
    package: pkg,
    mode,
    attributes,
    successAttributes: { ...attributes, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS },
    completedStepAttributes: {
      ...attributes,
      [ATTR_WORKFLOW_STEP_OUTCOME]: STEP_OUTCOME_VALUE_COMPLETED,
    },
    failedStepAttributes: {
      ...attributes,
      [ATTR_WORKFLOW_STEP_OUTCOME]: STEP_OUTCOME_VALUE_FAILED,
    },
    inFlight: new InFlightSeries(attributes),
  };
}
