import { describe, expect, it } from 'vitest';
import {
  BatchAccumulator,
  type BatchFileRecord,
  MAX_ERROR_TYPES,
  medianOf,
  spanSecondsOf,
  summarizeFiles,
} from '../../instrumentations/batch/index.js';
import { EXPECTED, FIXTURE_RECORDS } from './fixture.js';

function success(durationSeconds: number): BatchFileRecord {
  return {
    file: `f${durationSeconds}`,
    status: 'success',
    durationSeconds,
    samples: 1,
    measurements: 0,
    bytes: 0,
    peakMemoryBytes: null,
    errorType: null,
    errorMessage: null,
    endedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('batch summary', () => {
  it('matches the hand-computed figures of the fixed files', () => {
    const s = summarizeFiles(FIXTURE_RECORDS, 4);
    expect(s.files).toEqual({ ...EXPECTED.files, retained: 8 });
    expect(s.successRatePercent).toBe(EXPECTED.successRatePercent);
    expect(s.errors.ratePercent).toBe(EXPECTED.errorRatePercent);
    expect(s.errors.total).toBe(3);
    expect(s.errors.byType).toEqual(EXPECTED.byType);
    expect(s.timing.totalSeconds).toBe(4);
    expect(s.timing.count).toBe(4);
    expect(s.timing.sumSeconds).toBeCloseTo(EXPECTED.sumSeconds, 12);
    expect(s.timing.meanSeconds).toBeCloseTo(EXPECTED.meanSeconds, 12);
    expect(s.timing.medianSeconds).toBeCloseTo(EXPECTED.medianSeconds, 12);
    expect(s.timing.medianApproximate).toBe(false);
    expect(s.timing.minSeconds).toBe(EXPECTED.minSeconds);
    expect(s.timing.maxSeconds).toBe(EXPECTED.maxSeconds);
    expect(s.timing.stddevSeconds).toBeCloseTo(EXPECTED.stddevSeconds, 12);
    expect(s.totals).toEqual(EXPECTED.totals);
    expect(s.throughput.filesPerSecond).toBe(EXPECTED.perSecondOver4s.files);
    expect(s.throughput.samplesPerSecond).toBe(EXPECTED.perSecondOver4s.samples);
    expect(s.throughput.measurementsPerSecond).toBe(EXPECTED.perSecondOver4s.measurements);
    expect(s.throughput.bytesPerSecond).toBe(EXPECTED.perSecondOver4s.bytes);
    expect(s.peakMemoryBytes).toBe(EXPECTED.peakMemoryBytes);
  });

  it('takes the span of a CSV export from the first file start to the last file end', () => {
    expect(spanSecondsOf(FIXTURE_RECORDS)).toBe(4);
    expect(spanSecondsOf([])).toBe(0);
  });

  it('gives nulls (not zeros) where there are too few files, and zero rates without time', () => {
    const empty = summarizeFiles([], 0);
    expect(empty.timing).toMatchObject({
      count: 0,
      meanSeconds: null,
      medianSeconds: null,
      minSeconds: null,
      stddevSeconds: null,
    });
    expect(empty.successRatePercent).toBe(0);
    expect(empty.throughput.filesPerSecond).toBe(0);
    const one = summarizeFiles([success(2)], 0);
    expect(one.timing).toMatchObject({ meanSeconds: 2, medianSeconds: 2, stddevSeconds: null });
    expect(one.throughput.samplesPerSecond).toBe(0);
  });

  it('computes exact medians for odd and even counts', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([])).toBeNull();
  });

  it('keeps exact aggregates and an approximate median past the retention cap', () => {
    const acc = new BatchAccumulator(3);
    for (const d of [1, 2, 3, 4, 100]) acc.add(success(d));
    expect(acc.files).toHaveLength(3);
    const s = acc.summary(10);
    expect(s.files).toMatchObject({ total: 5, success: 5, retained: 3 });
    // mean (1+2+3+4+100)/5 = 22; squared deviations 441+400+361+324+6084 = 7610; /4 = 1902.5
    expect(s.timing.meanSeconds).toBe(22);
    expect(s.timing.minSeconds).toBe(1);
    expect(s.timing.maxSeconds).toBe(100);
    expect(s.timing.stddevSeconds).toBeCloseTo(Math.sqrt(1902.5), 12);
    expect(s.timing.medianApproximate).toBe(true);
    expect(Math.abs((s.timing.medianSeconds ?? 0) - 3) / 3).toBeLessThanOrEqual(0.01);
  });

  it('bounds the error breakdown, counting types past the limit as _OTHER', () => {
    const acc = new BatchAccumulator();
    for (let i = 0; i < MAX_ERROR_TYPES + 5; i++) {
      acc.add({ ...success(1), status: 'error', errorType: `E${i}` });
    }
    const byType = acc.summary(1).errors.byType;
    expect(Object.keys(byType)).toHaveLength(MAX_ERROR_TYPES + 1);
    expect(byType._OTHER).toBe(5);
  });
});
