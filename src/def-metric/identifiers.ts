/** Quotes an identifier for MySQL/MariaDB: backticks, with inner backticks doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** Quotes an identifier for SQLite: double quotes, with inner double quotes doubled. */
export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Renders a string literal for DDL (where parameters are not allowed): quotes doubled. */
export function sqlStringLiteral(value: string, backslashEscapes: boolean): string {
  const escaped = backslashEscapes ? value.replaceAll('\\', '\\\\') : value;
  return `'${escaped.replaceAll("'", "''")}'`;
}
