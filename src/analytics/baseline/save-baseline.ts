import type { TableModel } from '../../def-metric/index.js';
import { historyColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import type { TimeWindow } from '../source/time-window.js';
import type { GroupSummary } from '../summary/group-summary.js';
import { type SummariseOptions, summariseWindow } from '../summary/summarise-window.js';
import {
  baselineExists,
  deleteBaseline,
  ensureBaselineTable,
  saveRollingBaseline,
  saveSnapshotBaseline,
} from './baseline-store.js';

/** What a baseline holds: the statistics of a fixed window, or a rolling window's definition. */
export type BaselineDefinition =
  | { readonly kind: 'snapshot'; readonly window: TimeWindow }
  | { readonly kind: 'rolling'; readonly lengthMs: number; readonly skipMs: number };

/** Options of {@link saveBaseline}. */
export interface SaveBaselineOptions extends Omit<SummariseOptions, 'thresholds'> {
  /** Replace a baseline of the same name and table instead of refusing (default false). */
  readonly replace?: boolean;
  /** Collation of the baseline table on MySQL (default: the server's utf8mb4 default). */
  readonly collation?: string;
  /** Current time, for tests (default `Date.now()`). */
  readonly nowMs?: number;
}

/** What {@link saveBaseline} stored. */
export interface SavedBaselineResult {
  /** The groups of a snapshot (empty for a rolling baseline). */
  readonly groups: readonly GroupSummary[];
}

/**
 * Saves a baseline of `table` under `name` in the `opmeter_baseline` table (created if needed):
 * for a snapshot, the statistics of every code/operation over the window (streamed: bounded
 * memory); for a rolling baseline, only its window, computed again whenever it is used.
 */
export async function saveBaseline(
  source: HistorySource,
  table: TableModel,
  name: string,
  definition: BaselineDefinition,
  options: SaveBaselineOptions = {},
): Promise<SavedBaselineResult> {
  if (name.trim() === '' || name.length > 100) {
    throw new Error('a baseline name must have 1 to 100 characters');
  }
  const columns = historyColumns(table);
  const { dialect } = source;
  await ensureBaselineTable(dialect, options.collation);
  if (await baselineExists(dialect, name, table.name)) {
    if (options.replace !== true) {
      throw new Error(
        `baseline '${name}' of ${table.name} exists; delete it first or pass --replace`,
      );
    }
  }
  const nowMs = options.nowMs ?? Date.now();
  if (definition.kind === 'rolling') {
    if (options.replace === true) await deleteBaseline(dialect, name, table.name);
    await saveRollingBaseline(
      dialect,
      name,
      table.name,
      definition.lengthMs,
      definition.skipMs,
      nowMs,
    );
    return { groups: [] };
  }
  const groups = [...(await summariseWindow(source, columns, definition.window, options)).values()];
  if (options.replace === true) await deleteBaseline(dialect, name, table.name);
  await saveSnapshotBaseline(dialect, name, table.name, definition.window, groups, nowMs);
  return { groups };
}
