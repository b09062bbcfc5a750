/** One def_metric row: column name (as in the table's DDL) to raw value, normalised by the sink. */
export type DefMetricRow = Record<string, string | number | boolean | Date | null | undefined>;

/**
 * Where an ended operation's def_metric row goes. `enqueue` must be O(1), must never block,
 * and must never throw: the caller is recording a user's operation.
 */
export interface RowSink {
  /** Queues one row for `table` (e.g. `def_workflow_metric`); values are normalised by the sink. */
  enqueue(table: string, row: DefMetricRow): void;
  /**
   * The declared lengths of `table`'s text columns (column or alias name to characters), when the
   * sink knows its tables' schemas (the def_metric writer does); `undefined` for a table it does not know.
   */
  columnLengths?(table: string): ReadonlyMap<string, number> | undefined;
}
