import type { ConfigFailures } from './config-failures.js';
import type { SqlValue } from './dialect.js';
import type { RowAccounting } from './row-accounting.js';
import { compileRowNormaliser, type RowNormaliser } from './row-normaliser.js';
import type { QueuedRow } from './row-queue.js';
import type { SchemaRegistry } from './schema-registry.js';
import { DROP_REASON_CONFIG_ERROR, REJECT_REASON_UNKNOWN_TABLE } from './semconv.js';
import type { TableModel } from './table-model.js';

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
 * Turns queued rows into per-table groups of normalised values: rows of unknown tables or with
 * values no column can hold are rejected, rows of misconfigured tables dropped, fixes counted.
 */
export class BatchBuilder {
  private readonly normalisers = new Map<string, RowNormaliser>();

  /** Creates a builder for the tables of `schemas`; ErrorMessage is cut at `errorMessageMaxLength`. */
  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly accounting: RowAccounting,
    private readonly failures: ConfigFailures,
    private readonly errorMessageMaxLength: number | undefined,
  ) {}

  /** Groups `items` by table, in order; the rows left out are counted here. */
  build(items: readonly QueuedRow[]): PendingGroup[] {
    const groups = new Map<string, PendingGroup>();
    for (const item of items) {
      if (this.failures.blocksTable(item.table)) {
        this.accounting.dropped(DROP_REASON_CONFIG_ERROR, item.table, 1, true);
        continue;
      }
      const table = this.schemas.get(item.table);
      if (!table) {
        this.accounting.rejected(
          item.table,
          REJECT_REASON_UNKNOWN_TABLE,
          'the table is not declared in any YAML schema',
        );
        continue;
      }
      const result = this.normaliserOf(table)(item.row, item.at);
      if (!result.ok) {
        this.accounting.rejected(table.name, result.reason, `column ${result.column}`);
        continue;
      }
      this.accounting.fixed(table.name, result.fixes);
      let group = groups.get(table.name);
      if (!group) {
        group = { table, values: [] };
        groups.set(table.name, group);
      }
      group.values.push(result.values);
    }
    return [...groups.values()];
  }

  private normaliserOf(table: TableModel): RowNormaliser {
    let normalise = this.normalisers.get(table.name);
    if (!normalise) {
      normalise = compileRowNormaliser(table, {
        ...(this.errorMessageMaxLength === undefined
          ? {}
          : { errorMessageMaxLength: this.errorMessageMaxLength }),
      });
      this.normalisers.set(table.name, normalise);
    }
    return normalise;
  }
}
