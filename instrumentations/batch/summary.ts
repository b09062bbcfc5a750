import { ERROR_TYPE_OTHER } from '../../src/core/error-classification.js';
import type { BatchFileRecord } from './records.js';
import { TimingAccumulator, type TimingFigures } from './timing.js';

/** Per-file records a job keeps by default (about 20–30 MB with typical paths). */
export const DEFAULT_MAX_RETAINED_FILES = 100_000;
/** Distinct error types counted one by one; the rest are counted under `_OTHER`. */
export const MAX_ERROR_TYPES = 100;

/** Summary of a batch: counts, timing, throughput, errors and memory (JSON-ready). */
export interface BatchSummary {
  files: {
    total: number;
    success: number;
    error: number;
    skipped: number;
    /** Per-file records kept (the rest are only in the aggregates). */
    retained: number;
  };
  /** Successful files as a percentage of all files, 0–100. */
  successRatePercent: number;
  /** Wall-clock time of the batch, then figures over the durations of successful files. */
  timing: TimingFigures & { totalSeconds: number };
  /** Successful files and their samples, measurements and bytes per wall-clock second. */
  throughput: {
    filesPerSecond: number;
    samplesPerSecond: number;
    measurementsPerSecond: number;
    bytesPerSecond: number;
  };
  /** Samples, measurements and bytes of successful files. */
  totals: { samples: number; measurements: number; bytes: number };
  errors: {
    total: number;
    /** Failed files as a percentage of all files, 0–100. */
    ratePercent: number;
    /** Failed files by error type (`_OTHER` when none was given or past the limit). */
    byType: Record<string, number>;
  };
  /** Highest peak memory of any file, bytes; null when no file reported one. */
  peakMemoryBytes: number | null;
}

/**
 * Accumulates file records into a {@link BatchSummary} in bounded memory: records are kept up to
 * `maxRetainedFiles`; every figure comes from running aggregates, so only the median becomes
 * approximate past the limit.
 */
export class BatchAccumulator {
  private readonly retained: BatchFileRecord[] = [];
  private readonly counts = { total: 0, success: 0, error: 0, skipped: 0 };
  private readonly timing = new TimingAccumulator();
  private readonly totals = { samples: 0, measurements: 0, bytes: 0 };
  private readonly errorTypes = new Map<string, number>();
  private peakMemory: number | null = null;

  /** Creates an empty accumulator keeping at most `maxRetainedFiles` records. */
  constructor(private readonly maxRetainedFiles = DEFAULT_MAX_RETAINED_FILES) {}

  /** The records kept, in the order they were added. */
  get files(): readonly BatchFileRecord[] {
    return this.retained;
  }

  /** Adds one file record (values assumed valid: finite and non-negative). */
  add(record: BatchFileRecord): void {
    const counts = this.counts;
    counts.total++;
    counts[record.status]++;
    if (this.retained.length < this.maxRetainedFiles) this.retained.push(record);
    if (record.peakMemoryBytes !== null && record.peakMemoryBytes > (this.peakMemory ?? -1)) {
      this.peakMemory = record.peakMemoryBytes;
    }
    if (record.status === 'success') {
      this.timing.add(record.durationSeconds);
      this.totals.samples += record.samples;
      this.totals.measurements += record.measurements;
      this.totals.bytes += record.bytes;
    } else if (record.status === 'error') {
      this.countErrorType(record.errorType ?? ERROR_TYPE_OTHER);
    }
  }

  /** The summary, with throughput over `elapsedSeconds` of wall-clock time. */
  summary(elapsedSeconds: number): BatchSummary {
    const { total, success, error, skipped } = this.counts;
    const perSecond = (n: number) => (elapsedSeconds > 0 ? n / elapsedSeconds : 0);
    const percent = (n: number) => (total > 0 ? (n / total) * 100 : 0);
    return {
      files: { total, success, error, skipped, retained: this.retained.length },
      successRatePercent: percent(success),
      timing: { totalSeconds: elapsedSeconds, ...this.timing.figures(this.successDurations()) },
      throughput: {
        filesPerSecond: perSecond(success),
        samplesPerSecond: perSecond(this.totals.samples),
        measurementsPerSecond: perSecond(this.totals.measurements),
        bytesPerSecond: perSecond(this.totals.bytes),
      },
      totals: { ...this.totals },
      errors: {
        total: error,
        ratePercent: percent(error),
        byType: Object.fromEntries(this.errorTypes),
      },
      peakMemoryBytes: this.peakMemory,
    };
  }

  private successDurations(): number[] | undefined {
    if (this.retained.length < this.counts.total) return undefined;
    const out: number[] = [];
    for (const record of this.retained) {
      if (record.status === 'success') out.push(record.durationSeconds);
    }
    return out;
  }

  private countErrorType(type: string): void {
    const types = this.errorTypes;
    const key = types.has(type) || types.size < MAX_ERROR_TYPES ? type : ERROR_TYPE_OTHER;
    types.set(key, (types.get(key) ?? 0) + 1);
  }
}

/** Summarises already-recorded files (e.g. re-imported from an export). */
export function summarizeFiles(
  files: readonly BatchFileRecord[],
  elapsedSeconds: number,
): BatchSummary {
  const accumulator = new BatchAccumulator(files.length);
  for (const file of files) accumulator.add(file);
  return accumulator.summary(elapsedSeconds);
}

/**
 * Wall-clock seconds covered by `files`: from the earliest start (end minus duration) to the
 * latest end. Used when a batch's own start and finish are unknown (a CSV export).
 */
export function spanSecondsOf(files: readonly BatchFileRecord[]): number {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const file of files) {
    const end = Date.parse(file.endedAt);
    if (!Number.isFinite(end)) continue;
    first = Math.min(first, end - file.durationSeconds * 1000);
    last = Math.max(last, end);
  }
  return last > first ? (last - first) / 1000 : 0;
}
