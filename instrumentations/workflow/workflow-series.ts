import { WORKFLOW_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import { OperationSeriesCache, type SeriesKeys } from '../../src/core/operation-series.js';
import { ATTR_WORKFLOW_CODE, ATTR_WORKFLOW_MODE } from './semconv.js';

/**
 * A workflow series is named by `workflow.code`, `package` and `workflow.mode` (when set), code
 * and package cut to their `def_workflow_metric` columns.
 */
export const WORKFLOW_SERIES_KEYS: SeriesKeys = {
  code: ATTR_WORKFLOW_CODE,
  extra: ATTR_WORKFLOW_MODE,
  codeLength: WORKFLOW_METRIC_LENGTHS.WorkflowCode,
  packageLength: WORKFLOW_METRIC_LENGTHS.Package,
};

/**
 * Builds each (code, package, mode) series once and hands the same objects to every run, so a
 * run allocates no attributes on the success path. Bounded: past
 * `DEFAULT_MAX_CACHED_SERIES` (1000) series, new ones are built per run and not kept.
 */
export class WorkflowSeriesCache extends OperationSeriesCache {
  /** Creates an empty cache. */
  constructor() {
    super(WORKFLOW_SERIES_KEYS);
  }
}
