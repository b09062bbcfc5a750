import type { SessionStats } from '../stats/session-stats.js';
import type { EndedOperation, OperationDomain } from './operation-domain.js';
import type { DefMetricRow, RowSink } from './row-sink.js';

/**
 * Where an ended operation goes besides the domain's instruments (session statistics, the
 * def_metric row sink, …). `operationEnded` must be cheap and must never block.
 */
export interface OperationTarget {
  /** Receives one ended operation of `domain`. */
  operationEnded<F>(domain: OperationDomain<F, object>, operation: EndedOperation<F>): void;
}

/** The targets named in an instrumentation's options. */
export interface TargetOptions {
  /** In-memory session statistics to feed. */
  stats?: SessionStats | undefined;
  /** def_metric row sink (the persistence writer) to feed. */
  rows?: RowSink | undefined;
}

/** Feeds session statistics. */
class StatsTarget implements OperationTarget {
  constructor(private readonly stats: SessionStats) {}
  operationEnded<F>(domain: OperationDomain<F, object>, operation: EndedOperation<F>): void {
    this.stats.record(
      domain.name,
      operation.name,
      operation.durationSeconds,
      operation.items,
      operation.success,
    );
  }
}

/** Feeds the def_metric row sink with the domain's row of each operation. */
class RowTarget implements OperationTarget {
  constructor(
    private readonly rows: RowSink,
    private readonly table: string,
  ) {}
  operationEnded<F>(domain: OperationDomain<F, object>, operation: EndedOperation<F>): void {
    const row = domain.toRow?.(operation);
    if (row !== undefined) this.rows.enqueue(this.table, row as DefMetricRow);
  }
}

/** The targets of `options` that apply to `domain` (rows only when it has a table and rows). */
export function targetsOf(
  domain: OperationDomain<unknown, object>,
  options: TargetOptions,
): OperationTarget[] {
  const targets: OperationTarget[] = [];
  if (options.stats !== undefined) targets.push(new StatsTarget(options.stats));
  if (options.rows !== undefined && domain.table !== undefined && domain.toRow !== undefined) {
    targets.push(new RowTarget(options.rows, domain.table));
  }
  return targets;
}
