import {
  ERROR_TYPE_OTHER,
  type ErrorCategory,
  errorCategoryOf,
  errorMessageOf,
} from '../../src/core/error-classification.js';
import type { EndedBatchFile } from './batch-file.js';
import type { BatchFileRecord } from './records.js';
import type { BatchFileStatus } from './types.js';

const BYTES_PER_MB = 1024 * 1024;
/** Longest error message kept in a file record (rows get the full message). */
export const MAX_RECORD_MESSAGE_LENGTH = 500;

/** `error` when the file failed, `skipped` when it was skipped, else `success`. */
export function statusOf(file: EndedBatchFile): BatchFileStatus {
  if (!file.success) return 'error';
  return file.fields.skipped ? 'skipped' : 'success';
}

/** Peak memory in bytes: the caller's figure, else the RSS read at the end, else null. */
export function peakMemoryOf(file: EndedBatchFile): number | null {
  if (file.fields.peakMemoryBytes !== undefined) return file.fields.peakMemoryBytes;
  return file.memoryMB === undefined ? null : Math.round(file.memoryMB * BYTES_PER_MB);
}

/** Error message of a failed file, or skip reason of a skipped one; null otherwise. */
export function messageOf(file: EndedBatchFile, status: BatchFileStatus): string | null {
  const explicit = file.fields.message;
  if (status === 'success') return null;
  if (explicit !== undefined && explicit !== '') return explicit;
  if (status === 'error' && file.error !== undefined) return errorMessageOf(file.error) || null;
  return null;
}

/** ErrorCategory of a failed file: from the thrown value, else from its error type. */
export function categoryOf(file: EndedBatchFile): ErrorCategory {
  const fromError = errorCategoryOf(file.error);
  if (fromError !== 'UNKNOWN') return fromError;
  const type = file.errorType;
  return type === undefined ? 'UNKNOWN' : errorCategoryOf({ code: type, name: type });
}

/** The summary record of an ended file. */
export function recordOf(file: EndedBatchFile, status: BatchFileStatus): BatchFileRecord {
  const message = messageOf(file, status);
  return {
    file: file.fields.file,
    status,
    durationSeconds: file.durationSeconds,
    samples: file.items,
    measurements: file.fields.measurements,
    bytes: file.fields.bytes,
    peakMemoryBytes: peakMemoryOf(file),
    errorType: status === 'error' ? (file.errorType ?? ERROR_TYPE_OTHER) : null,
    errorMessage:
      message !== null && message.length > MAX_RECORD_MESSAGE_LENGTH
        ? message.slice(0, MAX_RECORD_MESSAGE_LENGTH)
        : message,
    endedAt: new Date(file.endedAt).toISOString(),
  };
}

/** Bytes as MiB (the `FileSizeMB` and `MemoryUsageMB` columns). */
export function megabytes(bytes: number): number {
  return bytes / BYTES_PER_MB;
}
