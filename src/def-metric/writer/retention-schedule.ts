import type { DefMetricDialect } from '../dialect/dialect.js';
import type { TableModel } from '../schema/table-model.js';
import { deleteExpiredRows, type RetentionOptions } from './retention.js';
import type { RateLimitedWarner } from './warner.js';
import { describeError } from './write-errors.js';

/**
 * Runs retention in the background every `everyBatches` written batches, on the tables written to
 * since the last run; one run at a time, a failure is only warned about.
 */
export class RetentionSchedule {
  private readonly touched = new Set<TableModel>();
  private batches = 0;
  private run: Promise<void> | undefined;

  /** Creates the schedule; `isStopped` ends a run between two tables. */
  constructor(
    private readonly dialect: DefMetricDialect,
    private readonly options: Required<RetentionOptions>,
    private readonly warner: RateLimitedWarner,
    private readonly isStopped: () => boolean,
  ) {}

  /** The run in progress, if any. */
  get running(): Promise<void> | undefined {
    return this.run;
  }

  /** Notes that rows were written to `table`. */
  touch(table: TableModel): void {
    this.touched.add(table);
  }

  /** Counts one written batch and starts a run when enough batches were written since the last. */
  batchWritten(): void {
    if (this.run) return;
    this.batches += 1;
    if (this.batches < this.options.everyBatches) return;
    this.batches = 0;
    const tables = [...this.touched];
    this.touched.clear();
    this.run = this.cleanUp(tables).finally(() => {
      this.run = undefined;
    });
  }

  private async cleanUp(tables: readonly TableModel[]): Promise<void> {
    for (const table of tables) {
      if (this.isStopped()) return;
      try {
        await deleteExpiredRows(this.dialect, table, this.options);
      } catch (error) {
        this.warner.warn('retention', `retention on ${table.name} failed: ${describeError(error)}`);
      }
    }
  }
}
