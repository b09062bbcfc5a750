import { BATCH_FILE_DURATION_PRESETS } from '../../src/core/buckets.js';
import { OperationInstrumentation } from '../../src/core/operation-instrumentation.js';
import { readSafely } from '../../src/core/safe-read.js';
import type { BatchFileFields } from './batch-file.js';
import { BatchJob } from './batch-job.js';
import { BatchMetrics } from './batch-metrics.js';
import type { BatchInstrumentationConfig, BatchStartOptions } from './types.js';

const NO_OPTIONS: BatchStartOptions = Object.freeze({});

/**
 * Measures batch jobs file by file: duration and status of every file, samples, measurements
 * and bytes, a `def_batch_metric` row per file when a row sink is configured, and a per-job
 * summary (timing statistics, throughput, error breakdown) exportable as JSON and CSV.
 *
 * @example
 * const batches = new BatchInstrumentation(metrics);
 * const job = batches.start('NIGHTLY_WAVEFORMS', { package: 'lab', totalFiles: files.length });
 * for (const path of files) await job.file(path, async (f) => f.addSamples(await load(path)));
 * console.log(job.finish());
 */
export class BatchInstrumentation extends OperationInstrumentation<
  BatchFileFields,
  BatchInstrumentationConfig,
  BatchMetrics
> {
  /** Creates the batch instruments; invalid bucket or SLO lists throw here. */
  constructor(config: BatchInstrumentationConfig = {}) {
    super(new BatchMetrics(), BATCH_FILE_DURATION_PRESETS, config);
  }

  /** Starts a run of batch `code` (the kind of job, not a run id: that is `options.id`). */
  start(code: string, options?: BatchStartOptions): BatchJob {
    return readSafely(this.recorder.guard, 'options', this.jobOf, this, code, options);
  }

  /** A job of `code` started with `options` (reading them has no other effect). */
  private jobOf(code: string, options: BatchStartOptions | undefined): BatchJob {
    const pkg = options?.package ?? this.defaultPackage;
    const series = this.metrics.series.of(this.recorder.guard, code, pkg);
    return new BatchJob(this.recorder, series, options ?? NO_OPTIONS);
  }
}
