import { type ConnectionUrl, connectionUrlOf } from './connection-url.js';
import type { DefMetricDialect } from './dialect.js';
import { createMysqlDialect } from './mysql/dialect.js';
import { createSqliteDialect } from './sqlite/dialect.js';

/**
 * Creates the dialect for a connection URL (`mysql://…`, `mariadb://…`, `sqlite:<path>`).
 * @throws OpmeterConfigError when `url` is neither a URL string nor a parsed connection URL.
 */
export function createDialect(url: ConnectionUrl | string): DefMetricDialect {
  const parsed = connectionUrlOf(url);
  return parsed.kind === 'sqlite'
    ? createSqliteDialect({ path: parsed.path })
    : createMysqlDialect({ url: parsed });
}
