import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { builtinSchemaDir, parseCreateTable, type TableModel } from '../../def-metric/index.js';

/** Name of the table that holds saved baselines. */
export const BASELINE_TABLE = 'opmeter_baseline';

let cached: TableModel | undefined;

/** The baseline table's model, read from `schemas/opmeter_baseline.yaml` (`analytics.schema`). */
export function baselineTableModel(): TableModel {
  if (cached) return cached;
  const file = join(builtinSchemaDir(), `${BASELINE_TABLE}.yaml`);
  const root = parse(readFileSync(file, 'utf8')) as {
    analytics?: { schema?: Record<string, unknown> };
  };
  const ddl = root.analytics?.schema?.[BASELINE_TABLE];
  if (typeof ddl !== 'string')
    throw new Error(`${file}: analytics.schema.${BASELINE_TABLE} missing`);
  cached = parseCreateTable(ddl, `${file}: ${BASELINE_TABLE}`);
  return cached;
}
