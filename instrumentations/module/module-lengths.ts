import { MODULE_CODE_LENGTH, MODULE_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import type { RowSink } from '../../src/core/row-sink.js';
import { MODULE_CODE_ROW_KEY } from './semconv.js';

/**
 * The lengths (characters) a module's values are cut to when an operation starts, so its row is
 * never refused for length and its attributes keep the values the row stores.
 */
export interface ModuleLengths {
  /** The code column (`<ModuleCode>`). */
  readonly code: number;
  /** `Package`. */
  readonly package: number;
  /** `OperationName`, also the `opmeter.operation` attribute. */
  readonly operation: number;
  /** `TargetEntity`. */
  readonly target: number;
}

/** The lengths the shipped module template declares (generated from its YAML). */
const TEMPLATE_LENGTHS: ModuleLengths = {
  code: MODULE_CODE_LENGTH,
  package: MODULE_METRIC_LENGTHS.Package,
  operation: MODULE_METRIC_LENGTHS.OperationName,
  target: MODULE_METRIC_LENGTHS.TargetEntity,
};

/**
 * The lengths `table` declares in the YAML schemas of `rows` (the def_metric writer reads them
 * from the registry it writes with, your own YAML included), else those of the shipped template.
 */
export function moduleLengthsOf(rows: RowSink | undefined, table: string): ModuleLengths {
  let declared: ReadonlyMap<string, number> | undefined;
  try {
    declared = rows?.columnLengths?.(table);
  } catch {
    // A sink that cannot tell: the template's lengths.
  }
  if (declared === undefined) return TEMPLATE_LENGTHS;
  return {
    code: declared.get(MODULE_CODE_ROW_KEY) ?? TEMPLATE_LENGTHS.code,
    package: declared.get('Package') ?? TEMPLATE_LENGTHS.package,
    operation: declared.get('OperationName') ?? TEMPLATE_LENGTHS.operation,
    target: declared.get('TargetEntity') ?? TEMPLATE_LENGTHS.target,
  };
}
