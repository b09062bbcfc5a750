import type { ColumnModel } from '../schema/table-model.js';

/**
 * The parts of a column's clause in CREATE TABLE that both dialects write alike: the quoted name,
 * the dialect's `type`, `NOT NULL`, and the default (a string default quoted by `literal`).
 */
export function columnClauseParts(
  quotedName: string,
  type: string,
  column: ColumnModel,
  literal: (text: string) => string,
): string[] {
  const parts = [quotedName, type];
  if (!column.nullable) parts.push('NOT NULL');
  const value = column.default;
  if (value.kind === 'null') parts.push('DEFAULT NULL');
  if (value.kind === 'current_timestamp') parts.push('DEFAULT CURRENT_TIMESTAMP');
  if (value.kind === 'literal') {
    parts.push(
      `DEFAULT ${typeof value.value === 'number' ? String(value.value) : literal(value.value)}`,
    );
  }
  return parts;
}
