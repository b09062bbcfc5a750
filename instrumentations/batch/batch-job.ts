import { randomUUID } from 'node:crypto';
import { monotonicSeconds } from '../../src/core/clock.js';
import { BATCH_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import { errorMessageOf } from '../../src/core/error-classification.js';
import { knownValueOf } from '../../src/core/known-value.js';
import type { MeasuredOutcome } from '../../src/core/operation-handle.js';
import type { ItemsOf, OperationRecorder } from '../../src/core/operation-recorder.js';
import type { OperationSeries } from '../../src/core/operation-series.js';
import { requireFunction } from '../../src/core/require-function.js';
import { readSafely } from '../../src/core/safe-read.js';
import { ADJUSTMENT_ALREADY_ENDED } from '../../src/core/self-metrics.js';
import { BatchFile, type BatchFileFields, type BatchFileOwner } from './batch-file.js';
import { batchToCsv } from './export-csv.js';
import {
  type BatchExport,
  type BatchExportDocument,
  batchDocument,
  batchToJson,
} from './export-json.js';
import { createProgressLine, type ProgressLine } from './progress.js';
import { BATCH_FILE_STATUSES, type BatchFileRecord, type BatchInfo } from './records.js';
import { ADJUSTMENT_UNKNOWN_STATUS } from './semconv.js';
import { BatchAccumulator, type BatchSummary } from './summary.js';
import type {
  BatchFileOptions,
  BatchFileResult,
  BatchFileRunOptions,
  BatchFileStatus,
  BatchStartOptions,
} from './types.js';

/** What `recordFile` records when given no result: its duration counts as not finite. */
const MISSING_RESULT = Object.freeze({ durationSeconds: Number.NaN }) as BatchFileResult;

/** A file the caller measured, read from its result: what {@link BatchJob.recordFile} records. */
interface MeasuredFile {
  readonly fields: BatchFileFields;
  readonly samples: number;
  readonly outcome: MeasuredOutcome;
}

/** The `samplesOf` option of a file, if any. */
function samplesOfOption<R>(
  _: number,
  options: BatchFileRunOptions<R> | undefined,
): ItemsOf<R> | undefined {
  return options?.samplesOf;
}

/**
 * One run of a batch job: record each file (measured by `file()` / `startFile()`, or measured
 * by the caller and given to `recordFile()`), then `finish()`. Every file is one operation of
 * the batch domain (instruments, session statistics, a `def_batch_metric` row) and one record of
 * the job's summary. Never throws on bad figures: they are corrected and counted.
 */
export class BatchJob implements BatchFileOwner {
  /** Run identifier (summaries and exports only). */
  readonly id: string;
  private readonly accumulator: BatchAccumulator;
  private readonly progress: ProgressLine | undefined;
  private readonly totalFiles: number | null;
  private readonly startedAt = new Date();
  private readonly startedAtSeconds = monotonicSeconds();
  private endedAt: Date | null = null;
  private elapsedAtEnd = 0;
  private done = 0;

  /** Starts a run of the batch `series` (its code and package). */
  constructor(
    private readonly recorder: OperationRecorder<BatchFileFields>,
    private readonly series: OperationSeries,
    options: BatchStartOptions,
  ) {
    const guard = recorder.guard;
    this.id = options.id === undefined ? randomUUID() : guard.text(options.id, 'batch.id');
    this.totalFiles =
      options.totalFiles === undefined
        ? null
        : guard.nonNegative(options.totalFiles, 'total_files');
    this.accumulator = new BatchAccumulator(
      options.maxRetainedFiles === undefined
        ? undefined
        : guard.nonNegative(options.maxRetainedFiles, 'max_retained_files'),
    );
    const progress = options.progress;
    this.progress =
      progress === undefined || progress === false
        ? undefined
        : createProgressLine(series.code, progress === true ? {} : progress);
  }

  /** Batch code: the kind of job. */
  get code(): string {
    return this.series.code;
  }

  /** Package of the batch. */
  get package(): string {
    return this.series.package;
  }

  /** Whether {@link finish} was called. */
  get isFinished(): boolean {
    return this.endedAt !== null;
  }

  /** Starts measuring `file`; end it with `end()`, `fail(error)` or `skip(reason)`. */
  startFile(file: string, options?: BatchFileOptions): BatchFile {
    const guard = this.recorder.guard;
    const fields = readSafely(guard, 'options', this.fileFieldsOf, this, file, options);
    return new BatchFile(this.recorder, this.code, fields);
  }

  /** Runs `fn` as the processing of `file` (sync or async) and returns its result. */
  file<R>(file: string, fn: (file: BatchFile) => R, options?: BatchFileRunOptions<Awaited<R>>): R {
    requireFunction(fn, 'batch job', 'file', file, 'fn');
    const guard = this.recorder.guard;
    const samplesOf = readSafely(guard, 'options', samplesOfOption<Awaited<R>>, this, 0, options);
    const handle = this.startFile(file, options);
    return this.recorder.invoke(handle, fn, undefined, [handle], samplesOf);
  }

  /** Records a file the caller measured itself (a missing `result` is a 0 s success, counted). */
  recordFile(file: string, result: BatchFileResult): void {
    if (!this.recorder.isLive()) return;
    const guard = this.recorder.guard;
    const read = readSafely(guard, 'result', this.measuredFileOf, this, file, result);
    const operation = new BatchFile(this.recorder, this.code, read.fields);
    operation.items = read.samples;
    operation.endMeasured(read.outcome);
  }

  /** Records `file` as skipped, optionally saying why. */
  skip(file: string, reason?: string): void {
    const result: BatchFileResult = { durationSeconds: 0, status: 'skipped' };
    if (reason !== undefined) result.errorMessage = reason;
    this.recordFile(file, result);
  }

  /** Marks the job finished (a second call is ignored and counted) and returns its summary. */
  finish(): BatchSummary {
    if (this.endedAt !== null) {
      this.recorder.guard.count('finish', ADJUSTMENT_ALREADY_ENDED);
    } else {
      this.elapsedAtEnd = this.elapsedSeconds();
      this.endedAt = new Date();
      this.progress?.finish(this.done, this.totalFiles, this.elapsedAtEnd);
    }
    return this.summary();
  }

  /** The summary so far (throughput over the time elapsed until finish, or until now). */
  summary(): BatchSummary {
    return this.accumulator.summary(this.elapsedSeconds());
  }

  /** Identity and timing of this run. */
  info(): BatchInfo {
    return {
      id: this.id,
      code: this.code,
      package: this.package,
      startedAt: this.startedAt.toISOString(),
      endedAt: this.endedAt === null ? null : this.endedAt.toISOString(),
      elapsedSeconds: this.elapsedSeconds(),
      totalFiles: this.totalFiles,
    };
  }

  /** Everything an export holds: info, summary and the retained file records. */
  toExport(): BatchExport {
    return { batch: this.info(), summary: this.summary(), files: [...this.accumulator.files] };
  }

  /** The export as JSON (see {@link batchToJson}); `opmeter batch stats` reads it. */
  toJson(): string {
    return batchToJson(this.toExport());
  }

  /** The retained file records as CSV (see {@link batchToCsv}); `opmeter batch stats` reads it. */
  toCsv(): string {
    return batchToCsv(this.toExport());
  }

  /** The JSON document, so that `JSON.stringify(job)` writes a readable export. */
  toJSON(): BatchExportDocument {
    return batchDocument(this.toExport());
  }

  /** Called for every ended file: adds it to the summary and redraws the progress line. */
  fileEnded(record: BatchFileRecord): void {
    this.accumulator.add(record);
    this.done++;
    this.progress?.update(this.done, this.totalFiles, this.elapsedSeconds());
  }

  private elapsedSeconds(): number {
    if (this.endedAt !== null) return this.elapsedAtEnd;
    return Math.max(monotonicSeconds() - this.startedAtSeconds, 0);
  }

  private statusOf(status: unknown): BatchFileStatus {
    if (status === undefined) return 'success';
    const known = knownValueOf(BATCH_FILE_STATUSES, status);
    if (known !== undefined) return known;
    this.recorder.guard.count('status', ADJUSTMENT_UNKNOWN_STATUS);
    return 'error';
  }

  /** The fields of `file` started with `options`. */
  private fileFieldsOf(file: string, options: BatchFileOptions | undefined): BatchFileFields {
    return this.fieldsOf(file, options?.bytes);
  }

  /** The fields, samples and outcome of `file` as the caller measured it in `result`. */
  private measuredFileOf(file: string, given: BatchFileResult | undefined): MeasuredFile {
    const result = given === undefined || given === null ? MISSING_RESULT : given;
    const guard = this.recorder.guard;
    const status = this.statusOf(result.status);
    const fields = this.fieldsOf(file, result.bytes);
    fields.skipped = status === 'skipped';
    fields.measurements = guard.nonNegative(result.measurements ?? 0, 'measurements');
    if (result.peakMemoryBytes !== undefined) {
      fields.peakMemoryBytes = guard.nonNegative(result.peakMemoryBytes, 'peak_memory');
    }
    if (result.errorMessage !== undefined) fields.message = errorMessageOf(result.errorMessage);
    return {
      fields,
      samples: guard.nonNegative(result.samples ?? 0, 'samples'),
      outcome: {
        durationSeconds: result.durationSeconds,
        success: status !== 'error',
        error: result.error,
        errorType: status === 'error' ? result.errorType : undefined,
      },
    };
  }

  private fieldsOf(file: string, bytes: number | undefined): BatchFileFields {
    const guard = this.recorder.guard;
    return {
      owner: this,
      series: this.series,
      file: guard.text(file, 'batch.file', BATCH_METRIC_LENGTHS.TargetEntity),
      skipped: false,
      measurements: 0,
      bytes: bytes === undefined ? 0 : guard.nonNegative(bytes, 'bytes'),
      peakMemoryBytes: undefined,
      message: undefined,
    };
  }
}
