import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  ATTR_WORKFLOW_MODE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv.js';
import type { ExecutionMode } from './types.js';

/** Distinct (code, package, mode) attribute sets kept for reuse; later ones are built per run. */
export const MAX_CACHED_WORKFLOW_SERIES = 1000;

/** The attribute sets shared by every run of one workflow code, package and mode. */
export interface WorkflowSeries {
  readonly code: string;
  readonly package: string;
  readonly mode: ExecutionMode | undefined;
  /** `workflow.code`, `package` and `workflow.mode` (when set). */
  readonly attributes: Attributes;
  /** {@link attributes} plus `outcome=success`. */
  readonly successAttributes: Attributes;
}

/**
 * Builds each (code, package, mode) attribute set once and hands the same objects to
 * every run, so ending a run allocates no attributes on the success path. Bounded: past
 * {@link MAX_CACHED_WORKFLOW_SERIES} sets, new ones are built per run and not kept.
 */
export class WorkflowSeriesCache {
  /** code → package → series per mode slot (none, parallel, sequential). */
  private readonly byCode = new Map<string, Map<string, (WorkflowSeries | undefined)[]>>();
  private count = 0;

  /** Number of attribute sets kept (at most {@link MAX_CACHED_WORKFLOW_SERIES}). */
  get size(): number {
    return this.count;
  }

  /** The attribute sets of runs of `code` in `pkg` with `mode`. */
  get(code: string, pkg: string, mode: ExecutionMode | undefined): WorkflowSeries {
    const slot = mode === undefined ? 0 : mode === 'parallel' ? 1 : 2;
    const slots = this.byCode.get(code)?.get(pkg);
    const cached = slots?.[slot];
    if (cached !== undefined) return cached;
    const built = buildSeries(code, pkg, mode);
    if (this.count < MAX_CACHED_WORKFLOW_SERIES) this.keep(code, pkg, slot, built, slots);
    return built;
  }

  private keep(
    code: string,
    pkg: string,
    slot: number,
    series: WorkflowSeries,
    slots: (WorkflowSeries | undefined)[] | undefined,
  ): void {
    if (slots !== undefined) {
      slots[slot] = series;
    } else {
      let byPackage = this.byCode.get(code);
      if (byPackage === undefined) {
        byPackage = new Map();
        this.byCode.set(code, byPackage);
      }
      const fresh: (WorkflowSeries | undefined)[] = [undefined, undefined, undefined];
      fresh[slot] = series;
      byPackage.set(pkg, fresh);
    }
    this.count++;
  }
}

function buildSeries(code: string, pkg: string, mode: ExecutionMode | undefined): WorkflowSeries {
  const attributes: Attributes = { [ATTR_WORKFLOW_CODE]: code, [ATTR_PACKAGE]: pkg };
  if (mode !== undefined) attributes[ATTR_WORKFLOW_MODE] = mode;
  return {
    code,
    package: pkg,
    mode,
    attributes,
    successAttributes: { ...attributes, [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS },
  };
}
