import type { BatchFileRecord, BatchInfo } from './records.js';
import { BatchFormatError, checkShape, type Shape } from './shape.js';
import type { BatchSummary } from './summary.js';

/** Value of the `format` field that marks an opmeter batch export. */
export const BATCH_EXPORT_FORMAT = 'opmeter.batch';
/** Version of the export layout; readers refuse newer ones. */
export const BATCH_EXPORT_VERSION = 1;

/** A batch as exported: its identity, its summary and its retained file records. */
export interface BatchExport {
  batch: BatchInfo;
  summary: BatchSummary;
  files: BatchFileRecord[];
}

/** Fields of one file record. */
export const FILE_RECORD_SHAPE: Shape = {
  file: 'string',
  status: 'status',
  durationSeconds: 'number',
  samples: 'number',
  measurements: 'number',
  bytes: 'number',
  peakMemoryBytes: 'number?',
  errorType: 'string?',
  errorMessage: 'string?',
  endedAt: 'string',
};

const INFO_SHAPE: Shape = {
  id: 'string',
  code: 'string',
  package: 'string',
  startedAt: 'string',
  endedAt: 'string?',
  elapsedSeconds: 'number',
  totalFiles: 'number?',
};

const SUMMARY_SHAPE: Shape = {
  files: {
    total: 'number',
    success: 'number',
    error: 'number',
    skipped: 'number',
    retained: 'number',
  },
  successRatePercent: 'number',
  timing: {
    totalSeconds: 'number',
    count: 'number',
    sumSeconds: 'number',
    meanSeconds: 'number?',
    minSeconds: 'number?',
    maxSeconds: 'number?',
    medianSeconds: 'number?',
    medianApproximate: 'boolean',
    stddevSeconds: 'number?',
  },
  throughput: {
    filesPerSecond: 'number',
    samplesPerSecond: 'number',
    measurementsPerSecond: 'number',
    bytesPerSecond: 'number',
  },
  totals: { samples: 'number', measurements: 'number', bytes: 'number' },
  errors: { total: 'number', ratePercent: 'number', byType: 'counts' },
  peakMemoryBytes: 'number?',
};

/** The JSON document of an export: the export marked with its format and version. */
export interface BatchExportDocument extends BatchExport {
  format: typeof BATCH_EXPORT_FORMAT;
  version: number;
}

/** The export marked with its format and version, as {@link batchToJson} writes it. */
export function batchDocument(exported: BatchExport): BatchExportDocument {
  return { format: BATCH_EXPORT_FORMAT, version: BATCH_EXPORT_VERSION, ...exported };
}

/** How a number JSON cannot hold is written: the string JavaScript prints for it. */
const NON_FINITE: Readonly<Record<string, number>> = {
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};

/**
 * The export as pretty-printed JSON (numbers unrounded, so it reads back exactly; a non-finite
 * figure, such as a rate over a zero-length span, as the string `"Infinity"` or `"NaN"`).
 */
export function batchToJson(exported: BatchExport): string {
  const replacer = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  return `${JSON.stringify(batchDocument(exported), replacer, 2)}\n`;
}

/** Turns `"Infinity"` / `"NaN"` back into numbers, in the numeric fields of `shape` only. */
function reviveNumbers(value: unknown, shape: Shape): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [field, kind] of Object.entries(shape)) {
    const current = record[field];
    if (typeof kind === 'object') reviveNumbers(current, kind);
    else if (kind === 'counts' && typeof current === 'object' && current !== null) {
      const counts = current as Record<string, unknown>;
      for (const [name, n] of Object.entries(counts)) counts[name] = revived(n);
    } else if (kind === 'number' || kind === 'number?') record[field] = revived(current);
  }
}

function revived(value: unknown): unknown {
  return typeof value === 'string' && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
}

/** Reads back what {@link batchToJson} wrote. @throws BatchFormatError saying what is wrong. */
export function parseBatchJson(text: string): BatchExport {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BatchFormatError(`not valid JSON (${(error as Error).message})`);
  }
  const root = document as Record<string, unknown> | null;
  if (root === null || typeof root !== 'object' || root.format !== BATCH_EXPORT_FORMAT) {
    throw new BatchFormatError(
      `not an opmeter batch export: expected "format": "${BATCH_EXPORT_FORMAT}" at the top level`,
    );
  }
  if (typeof root.version !== 'number' || root.version > BATCH_EXPORT_VERSION) {
    throw new BatchFormatError(
      `export version ${String(root.version)} is not supported (this reader knows up to ` +
        `${BATCH_EXPORT_VERSION}); upgrade opmeter`,
    );
  }
  reviveNumbers(root.batch, INFO_SHAPE);
  reviveNumbers(root.summary, SUMMARY_SHAPE);
  checkShape(root.batch, INFO_SHAPE, 'batch');
  checkShape(root.summary, SUMMARY_SHAPE, 'summary');
  if (!Array.isArray(root.files)) throw new BatchFormatError('files: expected an array');
  root.files.forEach((file, index) => {
    reviveNumbers(file, FILE_RECORD_SHAPE);
    checkShape(file, FILE_RECORD_SHAPE, `files[${index}]`);
  });
  return {
    batch: root.batch as BatchInfo,
    summary: root.summary as BatchSummary,
    files: root.files as BatchFileRecord[],
  };
}
