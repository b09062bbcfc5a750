import type { DefMetricDialect, SqlValue } from '../dialect/dialect.js';
import { REJECT_REASON_DATABASE } from '../semconv.js';
import type { PendingGroup } from './batch-builder.js';
import type { RetentionSchedule } from './retention-schedule.js';
import type { RowAccounting } from './row-accounting.js';
import { describeError } from './write-errors.js';

/**
 * Writes a group of rows as one multi-row INSERT; when the database refuses the batch, writes its
 * rows one by one so a bad row cannot sink the others. Written rows leave the group; retryable and
 * configuration errors are thrown to the caller with the unwritten rows still in the group.
 */
export class GroupWriter {
  /** Creates the writer; once `isAbandoned()` is true (rows dropped on close), a late success is not counted. */
  constructor(
    private readonly dialect: DefMetricDialect,
    private readonly accounting: RowAccounting,
    private readonly retention: RetentionSchedule | undefined,
    private readonly isAbandoned: () => boolean,
  ) {}

  /** Writes the rows of `group`, counting each as written or rejected. */
  async write(group: PendingGroup): Promise<void> {
    try {
      await this.dialect.insertRows(group.table, group.values);
      if (this.isAbandoned()) return;
      this.written(group, group.values.length);
    } catch (error) {
      const kind = this.dialect.classifyError(error);
      if (kind === 'retry' || kind === 'config') throw error;
      await this.writeOneByOne(group);
    }
  }

  private async writeOneByOne(group: PendingGroup): Promise<void> {
    while (group.values.length > 0) {
      const values = group.values[0] as SqlValue[];
      try {
        await this.dialect.insertRows(group.table, [values]);
        if (this.isAbandoned()) return;
        this.written(group, 1);
      } catch (error) {
        const kind = this.dialect.classifyError(error);
        if (kind === 'retry' || kind === 'config') throw error;
        if (kind === 'duplicate') this.written(group, 1);
        else {
          group.values.shift();
          this.accounting.rejected(group.table.name, REJECT_REASON_DATABASE, describeError(error));
        }
      }
    }
  }

  private written(group: PendingGroup, count: number): void {
    group.values.splice(0, count);
    this.retention?.touch(group.table);
    this.accounting.written(group.table.name, count);
  }
}
