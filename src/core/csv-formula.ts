/**
 * A cell a spreadsheet would read as a formula (OWASP CSV injection): it begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return, possibly after quotes added by {@link guardFormula}.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Neutralises a text cell for CSV output per the OWASP rule: a cell that begins with `=`, `+`,
 * `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet shows it as text instead of running it.
 * A cell already of the form `'…=` gets one more `'`, so {@link unguardFormula} restores any input.
 */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of {@link guardFormula}, for readers of opmeter's own CSV files. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}
