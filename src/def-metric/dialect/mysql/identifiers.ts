/** Quotes an identifier for MySQL/MariaDB: backticks, with inner backticks doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** Renders a string literal for MySQL DDL (where parameters are not allowed): backslashes and quotes doubled. */
export function mysqlStringLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
