import type { TableModel } from '../schema/table-model.js';
import type { DefMetricDialect } from './dialect.js';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Collation for `{collation}` (MySQL/MariaDB); default: the server's utf8mb4 default. */
  readonly collation?: string;
}

/** Creates every table (and its indexes) that does not exist yet; returns the collation used. */
export async function migrate(
  dialect: DefMetricDialect,
  tables: readonly TableModel[],
  options: MigrateOptions = {},
): Promise<string> {
  const collation = await dialect.resolveCollation(options.collation);
  for (const table of tables) await dialect.createTable(table, collation);
  return collation;
}
