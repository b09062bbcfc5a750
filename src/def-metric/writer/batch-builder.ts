import type { SqlValue } from '../dialect/dialect.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { TableModel } from '../schema/table-model.js';
import {
  DROP_REASON_CONFIG_ERROR,
  REJECT_REASON_MISSING_REQUIRED,
  REJECT_REASON_UNKNOWN_TABLE,
  REJECT_REASON_UNREADABLE,
  REJECT_REASON_WRONG_TYPE,
} from '../semconv.js';
import type { ConfigFailures } from './config-failures.js';
import type { RowAccounting } from './row-accounting.js';
import { compileRowNormaliser, type RowNormaliser } from './row-normaliser.js';
import type { QueuedRow } from './row-queue.js';
import { describeError } from './write-errors.js';

/** Normalised rows of one table, written together. */
export interface PendingGroup {
  /** The table the rows go to. */
  readonly table: TableModel;
  /** The rows not written yet, in column order. */
  values: SqlValue[][];
  /** The tables were migrated again after this group hit a configuration error. */
  remigrated?: boolean;
}

/**
 * Turns queued rows into per-table groups of normalised values: rows of unknown tables, with
 * values no column can hold, or that throw when read are rejected one by one, rows of
 * misconfigured tables dropped, fixes counted. One bad row never costs the others their place.
 */
export class BatchBuilder {
  private readonly normalisers = new Map<string, RowNormaliser>();

  /** Creates a builder for the tables of `schemas`. */
  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly accounting: RowAccounting,
    private readonly failures: ConfigFailures,
  ) {}

  /** Groups `items` by table, in order; the rows left out are counted here. */
  build(items: readonly QueuedRow[]): PendingGroup[] {
    const groups = new Map<string, PendingGroup>();
    for (const item of items) {
      try {
        this.add(groups, item);
      } catch (error) {
        // A throwing getter, a Proxy trap or a revoked Proxy: only this row is lost.
        this.accounting.rejected(
          item.table,
          REJECT_REASON_UNREADABLE,
          `reading the row threw (${describeError(error)}); enqueue plain objects of plain values`,
        );
      }
    }
    return [...groups.values()];
  }

  private add(groups: Map<string, PendingGroup>, item: QueuedRow): void {
    if (this.failures.blocksTable(item.table)) {
      this.accounting.dropped(DROP_REASON_CONFIG_ERROR, item.table, 1, true);
      return;
    }
    const table = this.schemas.get(item.table);
    if (!table) {
      this.accounting.rejected(
        item.table,
        REJECT_REASON_UNKNOWN_TABLE,
        'the table is not declared in any YAML schema',
      );
      return;
    }
    if (typeof item.row !== 'object' || item.row === null) {
      this.accounting.rejected(table.name, REJECT_REASON_WRONG_TYPE, 'the row is not an object');
      return;
    }
    const result = this.normaliserOf(table)(item.row, item.at);
    if (!result.ok) {
      const hint =
        result.reason === REJECT_REASON_MISSING_REQUIRED
          ? ': give it a value, or declare a DEFAULT, `generated` or an `alias` for it in the YAML'
          : '';
      this.accounting.rejected(table.name, result.reason, `column ${result.column}${hint}`);
      return;
    }
    this.accounting.fixed(table.name, result.fixes);
    let group = groups.get(table.name);
    if (!group) {
      group = { table, values: [] };
      groups.set(table.name, group);
    }
    group.values.push(result.values);
  }

  private normaliserOf(table: TableModel): RowNormaliser {
    let normalise = this.normalisers.get(table.name);
    if (!normalise) {
      normalise = compileRowNormaliser(table);
      this.normalisers.set(table.name, normalise);
    }
    return normalise;
  }
}
