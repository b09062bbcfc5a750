import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { BATCH_METRIC_LENGTHS, type BatchMetricRow } from '../../src/core/def-metric-rows.js';
import { type OperationSeries, OperationSeriesCache } from '../../src/core/operation-series.js';
import { SeriesDomain } from '../../src/core/series-domain.js';
import type { BatchFileFields, EndedBatchFile } from './batch-file.js';
import {
  categoryOf,
  megabytes,
  messageOf,
  peakMemoryOf,
  recordOf,
  statusOf,
} from './file-outcome.js';
import {
  ATTR_BATCH_CODE,
  ATTR_BATCH_FILE_STATUS,
  BATCH_OPERATION_FILE,
  BATCH_TABLE,
  FILE_STATUS_VALUE_ERROR,
  FILE_STATUS_VALUE_SKIPPED,
  FILE_STATUS_VALUE_SUCCESS,
  METRIC_BATCH_BYTES,
  METRIC_BATCH_FILE_DURATION,
  METRIC_BATCH_MEASUREMENTS,
  METRIC_BATCH_SAMPLES,
} from './semconv.js';
import type { BatchFileStatus } from './types.js';

/**
 * A batch series is a (code, package), cut to their `def_batch_metric` columns; its outcome is
 * the `batch.file.status` of a file.
 */
const BATCH_SERIES_KEYS = {
  code: ATTR_BATCH_CODE,
  codeLength: BATCH_METRIC_LENGTHS.BatchCode,
  packageLength: BATCH_METRIC_LENGTHS.Package,
  outcomes: {
    key: ATTR_BATCH_FILE_STATUS,
    success: FILE_STATUS_VALUE_SUCCESS,
    failure: FILE_STATUS_VALUE_ERROR,
    partial: FILE_STATUS_VALUE_SKIPPED,
  },
};

/** The batch domain's instruments, and how a file lands on them, in its job and in `def_batch_metric`. */
export class BatchMetrics extends SeriesDomain<BatchFileFields, BatchMetricRow> {
  private samples!: Counter;
  private measurements!: Counter;
  private bytes!: Counter;

  /** Describes the batch domain. */
  constructor() {
    super('batch', {
      table: BATCH_TABLE,
      series: new OperationSeriesCache(BATCH_SERIES_KEYS),
      readsMemory: true,
      duration: [
        METRIC_BATCH_FILE_DURATION,
        'Processing time of one file of a batch job, by status',
      ],
    });
  }

  /** The `def_batch_metric` row of an ended file. */
  toRow(file: EndedBatchFile): BatchMetricRow {
    const status = statusOf(file);
    const f = file.fields;
    const peak = peakMemoryOf(file);
    const message = messageOf(file, status);
    return {
      BatchCode: f.series.code,
      Package: f.series.package,
      OperationName: BATCH_OPERATION_FILE,
      TargetEntity: f.file,
      ItemsProcessed: file.items,
      ElapsedSeconds: file.durationSeconds,
      MemoryUsageMB: peak === null ? null : megabytes(peak),
      FileSizeMB: megabytes(f.bytes),
      OperationSuccess: file.success,
      ErrorMessage: status === 'skipped' ? skippedMessage(message) : message,
      ErrorCategory: status === 'error' ? categoryOf(file) : null,
    };
  }

  protected bindInstruments(meter: Meter): void {
    this.samples = meter.createCounter(METRIC_BATCH_SAMPLES, {
      description: 'Samples processed by batch jobs, by file status',
      unit: '{sample}',
    });
    this.measurements = meter.createCounter(METRIC_BATCH_MEASUREMENTS, {
      description: 'Measurements computed by batch jobs, by file status',
      unit: '{measurement}',
    });
    this.bytes = meter.createCounter(METRIC_BATCH_BYTES, {
      description: 'Bytes of files read by batch jobs, by file status',
      unit: 'By',
    });
  }

  /** A skipped file is recorded with the partial outcome: `batch.file.status=skipped`. */
  protected override isPartial(file: EndedBatchFile): boolean {
    return file.fields.skipped;
  }

  /** Adds the file's samples, measurements and bytes by status and hands its record to its job. */
  protected override recordCounts(file: EndedBatchFile): void {
    const status = statusOf(file);
    const f = file.fields;
    const attributes = statusAttributes(f.series, status);
    if (file.items > 0) this.samples.add(file.items, attributes);
    if (f.measurements > 0) this.measurements.add(f.measurements, attributes);
    if (f.bytes > 0) this.bytes.add(f.bytes, attributes);
    f.owner.fileEnded(recordOf(file, status));
  }
}

/** `batch.code`, `package` and `batch.file.status` = `status` (no `error.type`). */
function statusAttributes(series: OperationSeries, status: BatchFileStatus): Attributes {
  if (status === 'error') return series.failureAttributes;
  return status === 'skipped' ? series.partialAttributes : series.successAttributes;
}

function skippedMessage(reason: string | null): string {
  return reason === null ? 'skipped' : `skipped: ${reason}`;
}
