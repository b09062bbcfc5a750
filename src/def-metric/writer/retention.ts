import type { DefMetricDialect } from '../dialect/dialect.js';
import { formatDatetime } from '../schema/datetime.js';
import { findColumn, type TableModel } from '../schema/table-model.js';

/** Column whose age decides retention. */
export const RETENTION_TIME_COLUMN = 'AxionImportTime';

/** Retention settings: delete rows older than `days`, every `everyBatches` written batches. */
export interface RetentionOptions {
  /** Rows older than this many days are deleted (default 90). */
  readonly days?: number;
  /** The writer runs the cleanup once every this many written batches (default 100). */
  readonly everyBatches?: number;
  /** Rows deleted per statement, so no statement locks a table for long (default 1000). */
  readonly chunkSize?: number;
}

/** Default retention: 90 days, checked every 100 batches, 1000 rows per DELETE. */
export const DEFAULT_RETENTION: Required<RetentionOptions> = {
  days: 90,
  everyBatches: 100,
  chunkSize: 1_000,
};

/**
 * Deletes rows of `table` older than `days` (by AxionImportTime), `chunkSize` rows per DELETE,
 * until none is left; returns the number deleted. Tables without AxionImportTime are skipped.
 */
export async function deleteExpiredRows(
  dialect: DefMetricDialect,
  table: TableModel,
  options: RetentionOptions = {},
  now: number = Date.now(),
): Promise<number> {
  const { days, chunkSize } = { ...DEFAULT_RETENTION, ...options };
  if (!(days > 0) || !Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error('retention needs days > 0 and a positive integer chunkSize');
  }
  if (!findColumn(table, RETENTION_TIME_COLUMN)) return 0;
  const cutoff = formatDatetime(now - days * 86_400_000);
  let total = 0;
  for (;;) {
    const deleted = await dialect.deleteOlderThan(table, RETENTION_TIME_COLUMN, cutoff, chunkSize);
    total += deleted;
    if (deleted < chunkSize) return total;
  }
}
