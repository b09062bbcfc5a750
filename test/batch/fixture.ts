import type { BatchFileRecord, BatchFileResult } from '../../instrumentations/batch/index.js';

/** Start of the fixed batch: files run back to back from here; the batch lasts exactly 4 s. */
export const T0 = Date.parse('2026-01-11T23:00:00.000Z');
const MIB = 1024 * 1024;

/** One fixed file: its recorded result and when it ended (ms after {@link T0}). */
export interface FixtureFile {
  file: string;
  result: BatchFileResult;
  endedAfterMs: number;
}

/**
 * Eight files: four successes (0.5, 0.3, 1.2, 0.8 s), three errors (two ENOENT, one TypeError)
 * and one skip. The first starts at T0 and the last ends at T0 + 4 s.
 */
export const FIXTURE_FILES: readonly FixtureFile[] = [
  {
    file: 'a.wfm',
    endedAfterMs: 500,
    result: {
      durationSeconds: 0.5,
      samples: 100_000,
      measurements: 10,
      bytes: 2_000_000,
      peakMemoryBytes: 50 * MIB,
    },
  },
  {
    file: 'b.wfm',
    endedAfterMs: 800,
    result: { durationSeconds: 0.3, samples: 50_000, measurements: 5, bytes: 1_000_000 },
  },
  {
    file: 'c.wfm',
    endedAfterMs: 2000,
    result: {
      durationSeconds: 1.2,
      samples: 200_000,
      measurements: 20,
      bytes: 4_000_000,
      peakMemoryBytes: 80 * MIB,
    },
  },
  {
    file: 'd.wfm',
    endedAfterMs: 2800,
    result: { durationSeconds: 0.8, samples: 150_000, measurements: 15, bytes: 3_000_000 },
  },
  {
    file: 'e.wfm',
    endedAfterMs: 2900,
    result: {
      durationSeconds: 0.1,
      status: 'error',
      errorType: 'ENOENT',
      errorMessage: 'no such file',
    },
  },
  {
    file: 'f.wfm',
    endedAfterMs: 3100,
    result: { durationSeconds: 0.2, status: 'error', error: new TypeError('bad header') },
  },
  {
    file: 'g.wfm',
    endedAfterMs: 3100,
    result: { durationSeconds: 0, status: 'skipped', errorMessage: 'empty' },
  },
  {
    file: 'h.wfm',
    endedAfterMs: 4000,
    result: { durationSeconds: 0.05, status: 'error', errorType: 'ENOENT', errorMessage: 'gone' },
  },
];

/** The fixture as file records (what a job keeps), written out by hand. */
export const FIXTURE_RECORDS: readonly BatchFileRecord[] = FIXTURE_FILES.map(
  ({ file, result, endedAfterMs }) => ({
    file,
    status: (result.status ?? 'success') as BatchFileRecord['status'],
    durationSeconds: result.durationSeconds,
    samples: result.samples ?? 0,
    measurements: result.measurements ?? 0,
    bytes: result.bytes ?? 0,
    peakMemoryBytes: result.peakMemoryBytes ?? null,
    errorType: result.errorType ?? (result.error === undefined ? null : 'TypeError'),
    errorMessage: result.errorMessage ?? (result.error === undefined ? null : 'bad header'),
    endedAt: new Date(T0 + endedAfterMs).toISOString(),
  }),
);

/**
 * The summary figures of the fixture over 4 s, computed by hand:
 * successes 0.5 + 0.3 + 1.2 + 0.8 = 2.8 s, mean 0.7, median (0.5 + 0.8) / 2 = 0.65,
 * squared deviations 0.04 + 0.16 + 0.25 + 0.01 = 0.46, sample variance 0.46 / 3,
 * stddev √0.153333… = 0.391578004149…; samples 500,000, measurements 50, bytes 10,000,000.
 */
export const EXPECTED = {
  files: { total: 8, success: 4, error: 3, skipped: 1 },
  successRatePercent: 50,
  errorRatePercent: 37.5,
  sumSeconds: 2.8,
  meanSeconds: 0.7,
  medianSeconds: 0.65,
  minSeconds: 0.3,
  maxSeconds: 1.2,
  stddevSeconds: 0.39157800414902433,
  totals: { samples: 500_000, measurements: 50, bytes: 10_000_000 },
  perSecondOver4s: { files: 1, samples: 125_000, measurements: 12.5, bytes: 2_500_000 },
  byType: { ENOENT: 2, TypeError: 1 },
  peakMemoryBytes: 80 * MIB,
};
