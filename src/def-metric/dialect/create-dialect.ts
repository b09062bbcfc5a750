import { type ConnectionUrl, parseConnectionUrl } from './connection-url.js';
import type { DefMetricDialect } from './dialect.js';
import { createMysqlDialect } from './mysql/dialect.js';
import { createSqliteDialect } from './sqlite/dialect.js';

/** Creates the dialect for a connection URL (`mysql://…`, `mariadb://…`, `sqlite:<path>`). */
export function createDialect(url: ConnectionUrl | string): DefMetricDialect {
  const parsed = typeof url === 'string' ? parseConnectionUrl(url) : url;
  return parsed.kind === 'sqlite'
    ? createSqliteDialect({ path: parsed.path })
    : createMysqlDialect({ url: parsed });
}
