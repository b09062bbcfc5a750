import { DefMetricConfigError } from '../../config-error.js';
import type { ResultRow, SqlValue } from '../dialect.js';

const COLLATION_PATTERN = /^utf8mb4_[A-Za-z0-9_]+$/;

/** Throws unless `name` looks like a utf8mb4 collation (it is interpolated into DDL). */
export function assertCollationName(name: string): void {
  if (!COLLATION_PATTERN.test(name)) {
    throw new DefMetricConfigError(
      `invalid collation '${name}': def_metric tables are utf8mb4, so use a utf8mb4 collation such as utf8mb4_unicode_ci`,
    );
  }
}

type Select = (sql: string, params: readonly SqlValue[]) => Promise<ResultRow[]>;

/**
 * Resolves the MySQL/MariaDB collation for `{collation}`: `configured` when the server knows it
 * as a utf8mb4 collation (otherwise an error says how to list valid ones), else the server's
 * default collation when the server charset is utf8mb4, else the default utf8mb4 collation.
 */
export async function resolveMysqlCollation(
  select: Select,
  configured: string | undefined,
): Promise<string> {
  if (configured !== undefined) {
    assertCollationName(configured);
    const rows = await select(
      "SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME = ? AND CHARACTER_SET_NAME = 'utf8mb4'",
      [configured],
    );
    if (rows.length === 0) {
      throw new DefMetricConfigError(
        `unknown collation '${configured}' on this server: list valid ones with SHOW COLLATION WHERE Charset = 'utf8mb4'`,
      );
    }
    return configured;
  }
  const [server] = await select(
    'SELECT @@character_set_server AS charset, @@collation_server AS name',
    [],
  );
  if (server?.charset === 'utf8mb4' && typeof server.name === 'string') return server.name;
  const [fallback] = await select(
    "SELECT DEFAULT_COLLATE_NAME AS name FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME = 'utf8mb4'",
    [],
  );
  if (typeof fallback?.name !== 'string') {
    throw new DefMetricConfigError(
      'this server has no utf8mb4 character set: def_metric tables need MySQL 5.5.3+ or MariaDB',
    );
  }
  return fallback.name;
}
