import {
  type DefMetricDialect,
  loadSchemaRegistry,
  type SqlValue,
  type TableModel,
} from '../../src/def-metric/index.js';
import { formatDatetime } from '../../src/def-metric/schema/datetime.js';
import { guidOf, type SyntheticRow } from './synthetic-history.js';

/** The module-template table the analytics tests fill (it has every analytics column). */
export const HISTORY_TABLE = 'def_dataimport_metric';

/** The table model of {@link HISTORY_TABLE}. */
export function historyTable(): TableModel {
  return loadSchemaRegistry().require(HISTORY_TABLE);
}

/** Creates the table and inserts the rows in batches of 1000 (values in column order). */
export async function insertHistory(
  dialect: DefMetricDialect,
  rows: Iterable<SyntheticRow>,
): Promise<number> {
  const table = historyTable();
  await dialect.createTable(table, await dialect.resolveCollation(undefined));
  let batch: SqlValue[][] = [];
  let count = 0;
  for (const row of rows) {
    const values: Record<string, SqlValue> = {
      DataimportCode: row.code,
      Package: 'core',
      AxionImportTime: formatDatetime(row.timeMs),
      AxionImportGuid: guidOf(row.serial),
      OperationName: row.operation,
      TargetEntity: null,
      ItemsProcessed: row.items,
      ElapsedSeconds: row.elapsed,
      ItemsPerSecond: row.elapsed > 0 ? Math.round((row.items / row.elapsed) * 100) / 100 : null,
      MemoryUsageMB: row.memoryMB,
      FileSizeMB: null,
      CacheHits: 0,
      APICallsMade: 0,
      OperationSuccess: row.success ? 'Y' : 'N',
      ErrorMessage: row.success ? null : 'failed',
      ErrorCategory: row.success ? null : 'IO_ERROR',
    };
    batch.push(table.columns.map((c) => values[c.name] ?? null));
    count++;
    if (batch.length === 1000) {
      await dialect.insertRows(table, batch);
      batch = [];
    }
  }
  await dialect.insertRows(table, batch);
  return count;
}
