import type { OperationConfig, PackageOption } from '../../src/core/operation-instrumentation.js';
import type { ItemsOf } from '../../src/core/operation-recorder.js';
import type { ProgressOptions } from './progress.js';

/** What happened to one file. */
export type BatchFileStatus = 'success' | 'error' | 'skipped';

/**
 * Configuration of {@link BatchInstrumentation}: the shared options (`meterProvider`, `stats`,
 * `rows`, `enabled`, `defaultPackage`, and `buckets` / `slo` of `batch.file.duration`:
 * `'default'` is {@link BATCH_FILE_DURATION_BUCKETS}, `'fine'` {@link BATCH_FILE_DURATION_BUCKETS_FINE}).
 */
export type BatchInstrumentationConfig = OperationConfig;

/** Options of one batch job (and its `package`). */
export interface BatchStartOptions extends PackageOption {
  /** Identifier of this run, kept in the summary and exports only. Default: a random UUID. */
  id?: string;
  /** Number of files the job expects, for the progress line's total and ETA. */
  totalFiles?: number;
  /**
   * Per-file records kept for the summary and exports. Past it the summary stays exact except
   * the median (approximate, see the docs). Default {@link DEFAULT_MAX_RETAINED_FILES}.
   */
  maxRetainedFiles?: number;
  /**
   * Show a progress line on stderr, redrawn in place, only when the stream is a terminal.
   * `true` uses the defaults. Default off.
   */
  progress?: boolean | ProgressOptions;
}

/** What the caller knows about a file when it starts measuring it. */
export interface BatchFileOptions {
  /** Size of the file in bytes. */
  bytes?: number;
}

/** Options of a file measured by `job.file()`. */
export interface BatchFileRunOptions<R = unknown> extends BatchFileOptions {
  /** Derives the samples processed from the function's result, e.g. `(r) => r.length`. */
  samplesOf?: ItemsOf<R>;
}

/** A file the caller measured itself, given to `job.recordFile()`. */
export interface BatchFileResult {
  /** Processing time in seconds (NaN or negative becomes 0, counted). */
  durationSeconds: number;
  /** `success` (default), `error` or `skipped`; anything else is recorded as `error`, counted. */
  status?: BatchFileStatus | string;
  /** Samples processed. */
  samples?: number;
  /** Measurements computed. */
  measurements?: number;
  /** Bytes read. */
  bytes?: number;
  /** Peak memory of the file's processing in bytes; default the process RSS when it ends. */
  peakMemoryBytes?: number;
  /** The thrown value of a failed file: gives the error type, message and category. */
  error?: unknown;
  /** Error type (code or class name); overrides the one derived from `error`. */
  errorType?: string;
  /** Error message (or skip reason); overrides the one derived from `error`. */
  errorMessage?: string;
}
