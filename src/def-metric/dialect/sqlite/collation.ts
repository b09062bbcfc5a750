/** The collation SQLite tables use: `{collation}` is a MySQL/MariaDB setting, SQLite compares bytes. */
export const SQLITE_COLLATION = 'binary';

/** Resolves `{collation}` for SQLite: always {@link SQLITE_COLLATION}, whatever was configured. */
export async function resolveSqliteCollation(_configured?: string): Promise<string> {
  return SQLITE_COLLATION;
}
