import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_BATCH_CODE,
  ATTR_BATCH_FILE_STATUS,
  ATTR_ERROR_TYPE,
  ATTR_PACKAGE,
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_TABLE,
  BatchInstrumentation,
  METRIC_BATCH_BYTES,
  METRIC_BATCH_FILE_DURATION,
  METRIC_BATCH_MEASUREMENTS,
  METRIC_BATCH_SAMPLES,
} from '../../instrumentations/batch/index.js';
import type { DefMetricRow } from '../../src/core/row-sink.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { type ArrayRowSink, createTestTargets } from '../support/test-targets.js';
import { EXPECTED, FIXTURE_FILES } from './fixture.js';

function setup() {
  const targets = createTestTargets();
  return { ...targets, batches: new BatchInstrumentation(targets.options) };
}

function rowOf(rows: ArrayRowSink, file: string): DefMetricRow | undefined {
  return rows.rows.find((r) => r.row.TargetEntity === file)?.row;
}

afterEach(() => setRecordingEnabled(true));

describe('BatchInstrumentation', () => {
  it('creates instruments with units, descriptions and the default buckets', async () => {
    const { batches, metric, point } = setup();
    batches
      .start('B')
      .recordFile('x', { durationSeconds: 1, samples: 1, measurements: 1, bytes: 1 });
    const duration = await metric(METRIC_BATCH_FILE_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/file/i);
    const histogram = await point<Histogram>(METRIC_BATCH_FILE_DURATION);
    expect(histogram.value.buckets.boundaries).toEqual(BATCH_FILE_DURATION_BUCKETS);
    const units: Record<string, string> = {
      [METRIC_BATCH_SAMPLES]: '{sample}',
      [METRIC_BATCH_MEASUREMENTS]: '{measurement}',
      [METRIC_BATCH_BYTES]: 'By',
    };
    for (const [name, unit] of Object.entries(units)) {
      const m = await metric(name);
      expect(m.descriptor.unit).toBe(unit);
      expect(m.descriptor.description.length).toBeGreaterThan(5);
    }
  });

  it('records the fixed files on the instruments, in rows, in session stats and in the summary', async () => {
    const { batches, point, rows, stats } = setup();
    const job = batches.start('WAVEFORMS', { package: 'lab', id: 'run-1' });
    for (const { file, result } of FIXTURE_FILES) job.recordFile(file, result);
    const summary = job.finish();

    const base = { [ATTR_BATCH_CODE]: 'WAVEFORMS', [ATTR_PACKAGE]: 'lab' };
    const ok = { ...base, [ATTR_BATCH_FILE_STATUS]: 'success' };
    expect((await point<Histogram>(METRIC_BATCH_FILE_DURATION, ok)).value.count).toBe(4);
    expect(
      (
        await point<Histogram>(METRIC_BATCH_FILE_DURATION, {
          ...base,
          [ATTR_BATCH_FILE_STATUS]: 'error',
          [ATTR_ERROR_TYPE]: 'ENOENT',
        })
      ).value.count,
    ).toBe(2);
    expect(
      (await point(METRIC_BATCH_FILE_DURATION, { [ATTR_ERROR_TYPE]: 'TypeError' })).attributes[
        ATTR_BATCH_FILE_STATUS
      ],
    ).toBe('error');
    expect(
      (
        await point<Histogram>(METRIC_BATCH_FILE_DURATION, {
          ...base,
          [ATTR_BATCH_FILE_STATUS]: 'skipped',
        })
      ).value.count,
    ).toBe(1);
    const duration = await point<Histogram>(METRIC_BATCH_FILE_DURATION, ok);
    expect(duration.value.count).toBe(4);
    expect(duration.value.sum).toBeCloseTo(2.8, 12);
    expect((await point(METRIC_BATCH_SAMPLES, ok)).value).toBe(500_000);
    expect((await point(METRIC_BATCH_MEASUREMENTS, ok)).value).toBe(50);
    expect((await point(METRIC_BATCH_BYTES, ok)).value).toBe(10_000_000);

    expect(rows.rows).toHaveLength(8);
    expect(new Set(rows.rows.map((r) => r.table))).toEqual(new Set([BATCH_TABLE]));
    expect(rowOf(rows, 'c.wfm')).toEqual({
      BatchCode: 'WAVEFORMS',
      Package: 'lab',
      OperationName: 'file',
      TargetEntity: 'c.wfm',
      ItemsProcessed: 200_000,
      ElapsedSeconds: 1.2,
      MemoryUsageMB: 80,
      FileSizeMB: 3.814697265625,
      OperationSuccess: true,
      ErrorMessage: null,
      ErrorCategory: null,
    });
    expect(rowOf(rows, 'e.wfm')).toMatchObject({
      OperationSuccess: false,
      ErrorMessage: 'no such file',
      ErrorCategory: 'NOT_FOUND',
      FileSizeMB: 0,
    });
    expect(rowOf(rows, 'f.wfm')).toMatchObject({
      ErrorMessage: 'bad header',
      ErrorCategory: 'VALIDATION',
    });
    expect(rowOf(rows, 'g.wfm')).toMatchObject({
      OperationSuccess: true,
      ErrorMessage: 'skipped: empty',
      ErrorCategory: null,
    });
    // b.wfm gave no peak: the RSS read once when the file ended stands in.
    expect(rowOf(rows, 'b.wfm')?.MemoryUsageMB).toBeGreaterThan(1);

    expect(stats.snapshot().operations[0]).toMatchObject({
      domain: 'batch',
      operation: 'WAVEFORMS',
      operations: 8,
      items: 500_000,
      errors: 3,
    });

    expect(summary.files).toEqual({ ...EXPECTED.files, retained: 8 });
    expect(summary.timing.meanSeconds).toBeCloseTo(EXPECTED.meanSeconds, 12);
    expect(summary.timing.medianSeconds).toBeCloseTo(EXPECTED.medianSeconds, 12);
    expect(summary.timing.stddevSeconds).toBeCloseTo(EXPECTED.stddevSeconds, 12);
    expect(summary.errors.byType).toEqual(EXPECTED.byType);
    const elapsed = summary.timing.totalSeconds;
    expect(elapsed).toBeGreaterThan(0);
    expect(summary.throughput.samplesPerSecond * elapsed).toBeCloseTo(500_000, 6);
    const info = job.info();
    expect(info).toMatchObject({ id: 'run-1', code: 'WAVEFORMS', package: 'lab' });
    expect(info.endedAt).not.toBeNull();
  });

  it('measures files with handles and file(): success, thrown error, skip', async () => {
    const { batches, point, rows } = setup();
    const job = batches.start('LIVE');
    const value = await job.file(
      'one.csv',
      async (f) => {
        f.addMeasurements(3)
          .addBytes(1024)
          .peakMemory(2 * 1024 * 1024);
        return [1, 2, 3, 4];
      },
      { samplesOf: (r) => r.length },
    );
    expect(value).toEqual([1, 2, 3, 4]);
    const error = Object.assign(new Error('denied'), { code: 'EACCES' });
    expect(() =>
      job.file('two.csv', () => {
        throw error;
      }),
    ).toThrow(error);
    job.startFile('three.csv', { bytes: 10 }).skip('already imported');
    const summary = job.finish();
    expect(summary.files).toMatchObject({ total: 3, success: 1, error: 1, skipped: 1 });
    expect(summary.totals).toEqual({ samples: 4, measurements: 3, bytes: 1024 });
    expect(summary.peakMemoryBytes).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(summary.errors.byType).toEqual({ EACCES: 1 });
    expect(rowOf(rows, 'one.csv')).toMatchObject({ ItemsProcessed: 4, MemoryUsageMB: 2 });
    expect(rowOf(rows, 'two.csv')).toMatchObject({
      OperationSuccess: false,
      ErrorMessage: 'denied',
      ErrorCategory: 'PERMISSION',
    });
    expect(rowOf(rows, 'three.csv')?.ErrorMessage).toBe('skipped: already imported');
    const files = job.toExport().files;
    expect(files.map((f) => f.status)).toEqual(['success', 'error', 'skipped']);
    expect(files[0]?.durationSeconds).toBeGreaterThan(0);
    expect(
      (await point(METRIC_BATCH_FILE_DURATION, { [ATTR_BATCH_FILE_STATUS]: 'error' })).attributes[
        ATTR_ERROR_TYPE
      ],
    ).toBe('EACCES');
  });

  it('turns bad figures into documented outcomes counted on opmeter.input.adjusted, never throwing', async () => {
    const { batches, point, rows } = setup();
    const job = batches.start('BAD');
    expect(() => {
      job.recordFile('nan.bin', {
        durationSeconds: Number.NaN,
        bytes: Number.NaN,
        samples: Number.POSITIVE_INFINITY,
      });
      job.recordFile('negative.bin', { durationSeconds: -2, measurements: -1 });
      job.recordFile('weird.bin', { durationSeconds: 1, status: 'exploded' });
      job.recordFile('upper.bin', { durationSeconds: 1, status: 'SKIPPED' });
      job.recordFile(42 as unknown as string, { durationSeconds: 1, errorType: 'not used' });
      job.recordFile('badtype.bin', {
        durationSeconds: 1,
        status: 'error',
        errorType: 'has space!',
      });
    }).not.toThrow();
    const files = job.finish().files;
    expect(files).toMatchObject({ total: 6, success: 3, error: 2, skipped: 1 });
    const records = job.toExport().files;
    expect(records[0]).toMatchObject({ durationSeconds: 0, bytes: 0, samples: 0 });
    expect(records[1]).toMatchObject({ durationSeconds: 0, measurements: 0 });
    expect(records[2]).toMatchObject({ status: 'error', errorType: '_OTHER' });
    expect(records[3]?.status).toBe('skipped');
    expect(records[4]).toMatchObject({ file: '42', status: 'success', errorType: null });
    expect(records[5]?.errorType).toBe('_OTHER');
    expect(rows.rows[2]?.row).toMatchObject({ OperationSuccess: false, ErrorCategory: 'UNKNOWN' });
    const adjusted = async (field: string, reason: string) =>
      (
        await point('opmeter.input.adjusted', {
          'opmeter.domain': 'batch',
          'opmeter.field': field,
          'opmeter.reason': reason,
        })
      ).value;
    expect(await adjusted('duration', 'not_finite')).toBe(1);
    expect(await adjusted('duration', 'negative')).toBe(1);
    expect(await adjusted('bytes', 'not_finite')).toBe(1);
    expect(await adjusted('status', 'unknown_status')).toBe(1);
    expect(await adjusted('batch.file', 'not_a_string')).toBe(1);
  });

  it('a missing result or start options record a 0 s success (counted), never throwing', async () => {
    const { batches, point } = setup();
    const job = batches.start('MISSING', null as unknown as undefined);
    expect(() => {
      job.recordFile('none.bin', undefined as unknown as { durationSeconds: number });
      job.recordFile('null.bin', null as unknown as { durationSeconds: number });
      job.startFile('s.bin', null as unknown as undefined).skip(Object.create(null));
    }).not.toThrow();
    expect(job.finish().files).toMatchObject({ total: 3, success: 2, skipped: 1 });
    expect(job.toExport().files[0]).toMatchObject({ status: 'success', durationSeconds: 0 });
    const adjusted = await point('opmeter.input.adjusted', {
      'opmeter.field': 'duration',
      'opmeter.reason': 'not_finite',
    });
    expect(adjusted.value).toBe(2);
  });

  it('ignores and counts a second finish, keeping the first elapsed time', async () => {
    const { batches, point } = setup();
    const job = batches.start('TWICE');
    const first = job.finish();
    const second = job.finish();
    expect(second.timing.totalSeconds).toBe(first.timing.totalSeconds);
    expect(job.isFinished).toBe(true);
    expect(
      (await point('opmeter.input.adjusted', { 'opmeter.field': 'finish' })).attributes[
        'opmeter.reason'
      ],
    ).toBe('already_ended');
  });

  it('honours SLO thresholds as bucket edges and rejects bad buckets at construction', async () => {
    const otel = createTestMeterProvider();
    const batches = new BatchInstrumentation({ meterProvider: otel.meterProvider, slo: [42] });
    batches.start('S').recordFile('x', { durationSeconds: 1 });
    const p = await otel.point<Histogram>(METRIC_BATCH_FILE_DURATION);
    expect(p.value.buckets.boundaries).toContain(42);
    expect(() => new BatchInstrumentation({ buckets: [] })).toThrow(/non-empty/);
  });

  it('records nothing while recording is switched off', async () => {
    const { batches, metrics, rows } = setup();
    setRecordingEnabled(false);
    const job = batches.start('OFF');
    job.recordFile('a', { durationSeconds: 1 });
    await job.file('b', async () => 1);
    setRecordingEnabled(true);
    expect((await metrics()).get(METRIC_BATCH_FILE_DURATION)).toBeUndefined();
    expect(rows.rows).toHaveLength(0);
    expect(job.finish().files.total).toBe(0);
  });
});
