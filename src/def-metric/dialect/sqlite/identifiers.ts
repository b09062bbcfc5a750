/** Quotes an identifier for SQLite: double quotes, with inner double quotes doubled. */
export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Renders a string literal for SQLite DDL (where parameters are not allowed): quotes doubled. */
export function sqliteStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
