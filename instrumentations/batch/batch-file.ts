import { errorMessageOf } from '../../src/core/error-classification.js';
import type { EndedOperation } from '../../src/core/operation-domain.js';
import { OperationHandle } from '../../src/core/operation-handle.js';
import type { SeriesFields } from '../../src/core/series-domain.js';
import type { BatchFileRecord } from './records.js';

/** The job a file belongs to, as its file operations see it. */
export interface BatchFileOwner {
  /** Receives every ended file (summary, progress). */
  fileEnded(record: BatchFileRecord): void;
}

/**
 * Per-file fields of a batch file operation: the job's (code, package) series, whose outcome
 * sets carry `batch.file.status`, and the file's counts; its samples are the operation's items.
 */
export interface BatchFileFields extends SeriesFields {
  readonly owner: BatchFileOwner;
  /** File name or path. */
  readonly file: string;
  skipped: boolean;
  measurements: number;
  bytes: number;
  /** Peak memory given by the caller, bytes; else the RSS read when the file ends is used. */
  peakMemoryBytes: number | undefined;
  /** Error message or skip reason given explicitly. */
  message: string | undefined;
}

/** An ended file operation. */
export type EndedBatchFile = EndedOperation<BatchFileFields>;

/**
 * One file being processed: report samples, measurements and bytes, then `end()`, `fail(error)`
 * or `skip(reason)`. Its samples are the operation's items (what session statistics show).
 */
export class BatchFile extends OperationHandle<BatchFileFields> {
  /** Counts `count` samples processed. */
  addSamples(count: number): this {
    return this.addItems(count);
  }

  /** Counts `count` measurements computed. */
  addMeasurements(count: number): this {
    return this.addTo('measurements', count);
  }

  /** Counts `count` bytes read. */
  addBytes(count: number): this {
    return this.addTo('bytes', count);
  }

  /** Sets the peak memory of this file's processing, in bytes (else RSS at the end is used). */
  peakMemory(bytes: number): this {
    if (this.isOpen('peak_memory'))
      this.fields.peakMemoryBytes = this.recorder.guard.nonNegative(bytes, 'peak_memory');
    return this;
  }

  /** Ends the file as skipped, optionally saying why. */
  skip(reason?: string): void {
    if (!this.isEnded) {
      this.fields.skipped = true;
      if (reason !== undefined) this.fields.message = errorMessageOf(reason);
    }
    this.end();
  }
}
