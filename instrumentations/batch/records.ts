import type { BatchFileStatus } from './types.js';

/** The three file statuses, in display order. */
export const BATCH_FILE_STATUSES: readonly BatchFileStatus[] = Object.freeze([
  'success',
  'error',
  'skipped',
]);

/** One file of a batch as kept for the summary and exports (JSON-ready). */
export interface BatchFileRecord {
  /** File name or path. */
  file: string;
  status: BatchFileStatus;
  durationSeconds: number;
  samples: number;
  measurements: number;
  bytes: number;
  /** Peak memory in bytes, or null when unknown. */
  peakMemoryBytes: number | null;
  /** Error type of a failed file, else null. */
  errorType: string | null;
  /** Error message of a failed file, or the reason a file was skipped; else null. */
  errorMessage: string | null;
  /** When the file ended, ISO 8601 UTC. */
  endedAt: string;
}

/** Identity and timing of one batch run (JSON-ready). */
export interface BatchInfo {
  /** Run identifier (not an attribute: only in summaries and exports). */
  id: string;
  /** Batch code: the kind of job. */
  code: string;
  package: string;
  /** When the job started, ISO 8601 UTC. */
  startedAt: string;
  /** When the job finished, ISO 8601 UTC, or null while it runs. */
  endedAt: string | null;
  /** Wall-clock seconds from start to finish (or to now while it runs). */
  elapsedSeconds: number;
  /** Files the job announced, or null. */
  totalFiles: number | null;
}

/** Whether `value` is one of the three file statuses. */
export function isBatchFileStatus(value: unknown): value is BatchFileStatus {
  return value === 'success' || value === 'error' || value === 'skipped';
}
