import type { TableModel } from '../../def-metric/index.js';
import { loadBaseline } from '../baseline/baseline-store.js';
import { historyColumns } from '../source/history-columns.js';
import type { HistorySource } from '../source/row-stream.js';
import {
  describeWindow,
  rollingWindow,
  type TimeWindow,
  windowHours,
} from '../source/time-window.js';
import type { GroupSummary } from '../summary/group-summary.js';
import { type SummariseOptions, summariseWindow } from '../summary/summarise-window.js';
import { compareGroups, type MetricComparison, type RegressionOptions } from './compare-groups.js';

/** What the recent window is compared with. */
export type BaselineChoice =
  | { readonly kind: 'saved'; readonly name: string }
  | { readonly kind: 'window'; readonly window: TimeWindow };

/** Options of {@link detectRegressions}. */
export interface DetectRegressionsOptions extends RegressionOptions {
  readonly recent: TimeWindow;
  readonly baseline: BaselineChoice;
  readonly sampleSize?: number;
  readonly seed?: number;
  /** Progress of the row streams (rows read, total rows of the window being read). */
  readonly onProgress?: SummariseOptions['onProgress'];
  /** Current time, to resolve a saved rolling baseline (default `Date.now()`). */
  readonly nowMs?: number;
}

/** The result of {@link detectRegressions}. */
export interface RegressionReport {
  readonly table: string;
  /** The baseline, in words (its name or its window). */
  readonly baseline: string;
  readonly recent: string;
  readonly comparisons: readonly MetricComparison[];
  /** The comparisons that are regressions (large and significant). */
  readonly regressions: readonly MetricComparison[];
}

/**
 * Compares the recent window of a def_metric table with a saved baseline or a live window, per
 * code/operation; streams both windows (bounded memory: a sketch and a sample per group).
 */
export async function detectRegressions(
  source: HistorySource,
  table: TableModel,
  options: DetectRegressionsOptions,
): Promise<RegressionReport> {
  const columns = historyColumns(table);
  const streaming = {
    ...(options.sampleSize === undefined ? {} : { sampleSize: options.sampleSize }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  let baseline: ReadonlyMap<string, GroupSummary>;
  let described: string;
  if (options.baseline.kind === 'saved') {
    const saved = await loadBaseline(source.dialect, options.baseline.name, table.name);
    if (saved.kind === 'rolling') {
      const window = rollingWindow(options.nowMs ?? Date.now(), saved.lengthMs, saved.skipMs);
      baseline = await summariseWindow(source, columns, window, streaming);
      described = `${saved.name} (rolling: ${describeWindow(window)})`;
    } else {
      baseline = saved.groups;
      described = `${saved.name} (${describeWindow(saved.window)})`;
    }
  } else {
    baseline = await summariseWindow(source, columns, options.baseline.window, streaming);
    described = describeWindow(options.baseline.window);
  }
  const thresholds = new Map<string, number>();
  for (const [key, group] of baseline) {
    if (group.p95Seconds !== null) thresholds.set(key, group.p95Seconds);
  }
  const recent = await summariseWindow(source, columns, options.recent, {
    ...streaming,
    thresholds,
  });
  const comparisons = compareGroups(baseline, recent, windowHours(options.recent), options);
  return {
    table: table.name,
    baseline: described,
    recent: describeWindow(options.recent),
    comparisons,
    regressions: comparisons.filter((c) => c.regression),
  };
}
