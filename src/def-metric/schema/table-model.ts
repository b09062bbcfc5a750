/** Column types of the DDL subset that def_metric schemas use. */
export type ColumnType =
  | 'tinyint'
  | 'smallint'
  | 'mediumint'
  | 'int'
  | 'bigint'
  | 'decimal'
  | 'float'
  | 'double'
  | 'char'
  | 'varchar'
  | 'tinytext'
  | 'text'
  | 'mediumtext'
  | 'longtext'
  | 'date'
  | 'datetime'
  | 'timestamp';

/** A column's DEFAULT clause: absent, NULL, a literal, or CURRENT_TIMESTAMP. */
export type ColumnDefault =
  | { readonly kind: 'none' }
  | { readonly kind: 'null' }
  | { readonly kind: 'literal'; readonly value: string | number }
  | { readonly kind: 'current_timestamp' };

/**
 * How the writer makes a column's value when a row leaves it out (a YAML column property, beside
 * the DDL): `uuid` draws `crypto.randomUUID()`; `ratio` divides the row's `dividend` by its
 * `divisor` when both are numbers and the divisor is above 0 (ItemsPerSecond from ItemsProcessed
 * and ElapsedSeconds).
 */
export type GeneratedValue =
  | { readonly kind: 'uuid' }
  | { readonly kind: 'ratio'; readonly dividend: string; readonly divisor: string };

/**
 * What the writer does with a text longer than the column takes (a YAML column property):
 * `truncate` cuts it (counted as fixed), `reject` refuses the row. Without a declaration, primary-key
 * columns reject and the others truncate, at the length of their type.
 */
export interface OverflowPolicy {
  readonly action: 'truncate' | 'reject';
  /** A limit in characters below the type's own (ErrorMessage: 5000 in a `text` column). */
  readonly maxLength?: number;
  /** Appended to a text cut at `maxLength` (`... (truncated)`). */
  readonly marker?: string;
}

/** One column of a def_metric table, as declared in its DDL and the YAML column properties. */
export interface ColumnModel {
  readonly name: string;
  readonly type: ColumnType;
  /** Display width or character length: `varchar(255)` → 255, `int(11)` → 11. */
  readonly length?: number;
  /** `decimal(p,s)` precision. */
  readonly precision?: number;
  /** `decimal(p,s)` scale. */
  readonly scale?: number;
  readonly unsigned: boolean;
  readonly nullable: boolean;
  readonly default: ColumnDefault;
  readonly comment?: string;
  /** YAML `generated`: how a value left out of a row is made. */
  readonly generated?: GeneratedValue;
  /** YAML `overflow` (with `maxLength`, `marker`): what a too-long text does. */
  readonly overflow?: OverflowPolicy;
  /**
   * YAML `alias`: a second key a row may give this column's value under (the template's
   * `<ModuleCode>` column is `ModuleCode`, so a module's rows need not know the column's name).
   */
  readonly alias?: string;
}

/** One column of an index, with the optional prefix length of `KEY k (`Col`(255))`. */
export interface IndexColumn {
  readonly name: string;
  readonly prefixLength?: number;
}

/** A secondary index (`KEY` or `UNIQUE KEY`). */
export interface IndexModel {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly IndexColumn[];
}

/** A def_metric table parsed from its DDL. */
export interface TableModel {
  readonly name: string;
  readonly columns: readonly ColumnModel[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexModel[];
  readonly engine: string;
  readonly charset: string;
  /** Table collation; `{collation}` when the DDL leaves it to run time. */
  readonly collation: string;
  readonly comment?: string;
}

/** The `{collation}` placeholder that the DDL carries until run time. */
export const COLLATION_PLACEHOLDER = '{collation}';

/** Returns the column called `name`, or undefined. */
export function findColumn(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((column) => column.name === name);
}

/**
 * The most characters each text column of `table` holds — its `char`/`varchar` length, or its
 * YAML `maxLength` when smaller — by every key a row may use for it (its name and its alias).
 */
export function textLengthsOf(table: TableModel): ReadonlyMap<string, number> {
  const lengths = new Map<string, number>();
  for (const column of table.columns) {
    const typeLength =
      column.type === 'char' || column.type === 'varchar' ? column.length : undefined;
    const declared = column.overflow?.maxLength;
    const length =
      typeLength === undefined
        ? declared
        : declared === undefined
          ? typeLength
          : Math.min(typeLength, declared);
    if (length === undefined) continue;
    lengths.set(column.name, length);
    if (column.alias !== undefined) lengths.set(column.alias, length);
  }
  return lengths;
}
