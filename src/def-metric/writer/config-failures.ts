import { DROP_REASON_CONFIG_ERROR, METRIC_ROWS_DROPPED } from '../semconv.js';
import type { RateLimitedWarner } from './warner.js';
import { describeConfigError } from './write-errors.js';

/**
 * Remembers the configuration errors retrying cannot fix (for one table, or for every table when
 * creating them failed) and reports each once, naming its fix.
 */
export class ConfigFailures {
  private readonly tables = new Set<string>();
  private everyTable = false;

  /** Creates the record; warnings name the database `target`. */
  constructor(
    private readonly warner: RateLimitedWarner,
    private readonly target: string,
  ) {}

  /** Whether rows for `table` can no longer be written (the table's or every table's failure). */
  blocks(table: string): boolean {
    return this.everyTable || this.tables.has(table);
  }

  /** Whether writing to `table` itself failed with a configuration error. */
  blocksTable(table: string): boolean {
    return this.tables.has(table);
  }

  /** Records that writing to `table` failed with `error`, and warns once. */
  failTable(table: string, error: unknown): void {
    this.tables.add(table);
    this.warn(`cannot write to ${table}: ${describeConfigError(error)}`);
  }

  /** Records that creating the tables failed with `error`, and warns once. */
  failEveryTable(error: unknown): void {
    this.everyTable = true;
    this.warn(`cannot create the tables: ${describeConfigError(error)}`);
  }

  private warn(message: string): void {
    this.warner.warn(
      `config:${message}`,
      `${message} (database ${this.target}); not retried: its rows are dropped ` +
        `(${METRIC_ROWS_DROPPED} reason=${DROP_REASON_CONFIG_ERROR}) until the writer is created again with a fixed configuration`,
    );
  }
}
