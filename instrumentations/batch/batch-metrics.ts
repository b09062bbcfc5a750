import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { BatchMetricRow } from '../../src/core/def-metric-rows.js';
import { ERROR_TYPE_OTHER } from '../../src/core/error-classification.js';
import type { OperationDomain } from '../../src/core/operation-domain.js';
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
  ATTR_ERROR_TYPE,
  BATCH_OPERATION_FILE,
  BATCH_TABLE,
  METRIC_BATCH_BYTES,
  METRIC_BATCH_FILE_DURATION,
  METRIC_BATCH_MEASUREMENTS,
  METRIC_BATCH_SAMPLES,
} from './semconv.js';

/** The batch domain's instruments, and how a file lands on them, in its job and in `def_batch_metric`. */
export class BatchMetrics implements OperationDomain<BatchFileFields, BatchMetricRow> {
  readonly name = 'batch';
  readonly readsMemory = true;
  readonly table = BATCH_TABLE;
  private duration!: Histogram;
  private samples!: Counter;
  private measurements!: Counter;
  private bytes!: Counter;

  /** Creates the batch instruments on `meter`, with `boundaries` for the file duration histogram. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.duration = meter.createHistogram(METRIC_BATCH_FILE_DURATION, {
      description: 'Processing time of one file of a batch job, by status',
      unit: 's',
      advice: { explicitBucketBoundaries: [...boundaries] },
    });
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

  /** Records an ended file on the instruments and hands its record to its job. */
  record(file: EndedBatchFile): void {
    const status = statusOf(file);
    const f = file.fields;
    const base = f.owner.statusAttributes[status];
    const attributes =
      status === 'error'
        ? { ...base, [ATTR_ERROR_TYPE]: file.errorType ?? ERROR_TYPE_OTHER }
        : base;
    this.duration.record(file.durationSeconds, attributes);
    if (file.items > 0) this.samples.add(file.items, base);
    if (f.measurements > 0) this.measurements.add(f.measurements, base);
    if (f.bytes > 0) this.bytes.add(f.bytes, base);
    f.owner.fileEnded(recordOf(file, status));
  }

  /** The `def_batch_metric` row of an ended file. */
  toRow(file: EndedBatchFile): BatchMetricRow {
    const status = statusOf(file);
    const f = file.fields;
    const peak = peakMemoryOf(file);
    const message = messageOf(file, status);
    return {
      BatchCode: f.owner.code,
      Package: f.owner.package,
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
}

function skippedMessage(reason: string | null): string {
  return reason === null ? 'skipped' : `skipped: ${reason}`;
}
