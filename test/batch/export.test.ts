import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BATCH_CSV_COLUMNS,
  type BatchExport,
  type BatchFileRecord,
  BatchFormatError,
  BatchInstrumentation,
  batchFromCsv,
  batchToCsv,
  batchToJson,
  parseBatchCsv,
  parseBatchExport,
  parseBatchJson,
  summarizeFiles,
} from '../../instrumentations/batch/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { FIXTURE_FILES, FIXTURE_RECORDS, T0 } from './fixture.js';

/** The fixture as an export, with file names and messages that need CSV quoting. */
function fixtureExport(): BatchExport {
  const tricky: Record<number, Partial<BatchFileRecord>> = {
    0: { file: 'dir, with comma/"quoted" a.wfm' },
    4: { errorMessage: 'line one\nline two, "quoted"' },
    5: { file: ' leading space.wfm' },
  };
  const files = FIXTURE_RECORDS.map((f, i) => ({ ...f, ...tricky[i] }));
  return {
    batch: {
      id: 'run-7',
      code: 'WAVEFORMS',
      package: 'lab',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 4000).toISOString(),
      elapsedSeconds: 4,
      totalFiles: 8,
    },
    summary: summarizeFiles(files, 4),
    files,
  };
}

describe('batch exports', () => {
  it('round-trips JSON exactly', () => {
    const exported = fixtureExport();
    expect(parseBatchJson(batchToJson(exported))).toEqual(exported);
  });

  it('round-trips CSV exactly, quoting commas, quotes, line breaks and edge spaces', () => {
    const exported = fixtureExport();
    const csv = batchToCsv(exported);
    expect(csv.split('\r\n')[0]).toBe(BATCH_CSV_COLUMNS.join(','));
    const back = parseBatchCsv(csv);
    expect(back).toEqual({ id: 'run-7', code: 'WAVEFORMS', package: 'lab', files: exported.files });
  });

  it('rebuilds the same summary and timing from a CSV export', () => {
    const exported = fixtureExport();
    const rebuilt = batchFromCsv(parseBatchCsv(batchToCsv(exported)));
    expect(rebuilt.summary).toEqual(exported.summary);
    expect(rebuilt.batch).toMatchObject({
      startedAt: exported.batch.startedAt,
      endedAt: exported.batch.endedAt,
      elapsedSeconds: 4,
    });
  });

  it('round-trips what a live job exports', () => {
    const otel = createTestMeterProvider();
    const job = new BatchInstrumentation({ meterProvider: otel.meterProvider }).start('LIVE');
    for (const { file, result } of FIXTURE_FILES) job.recordFile(file, result);
    job.finish();
    const exported = job.toExport();
    expect(parseBatchJson(batchToJson(exported))).toEqual(exported);
    expect(parseBatchCsv(batchToCsv(exported)).files).toEqual(exported.files);
    expect(parseBatchJson(JSON.stringify(job))).toEqual(exported);
    expect(parseBatchJson(job.toJson())).toEqual(exported);
    expect(parseBatchCsv(job.toCsv()).files).toEqual(exported.files);
  });

  it('picks the format by extension, else by content', () => {
    const exported = fixtureExport();
    expect(parseBatchExport(batchToJson(exported), 'x.json').batch.id).toBe('run-7');
    expect(parseBatchExport(batchToCsv(exported), 'x.csv').batch.id).toBe('run-7');
    expect(parseBatchExport(batchToJson(exported)).batch.id).toBe('run-7');
    expect(parseBatchExport(batchToCsv(exported)).batch.id).toBe('run-7');
  });

  it('refuses damaged exports with a message that says where', () => {
    const json = JSON.parse(batchToJson(fixtureExport()));
    const bad = (mutate: (doc: typeof json) => void) => {
      const copy = structuredClone(json);
      mutate(copy);
      return JSON.stringify(copy);
    };
    expect(() => parseBatchJson('{')).toThrow(BatchFormatError);
    expect(() => parseBatchJson('{"format":"other"}')).toThrow(/not an opmeter batch export/);
    expect(() =>
      parseBatchJson(
        bad((d) => {
          d.version = 99;
        }),
      ),
    ).toThrow(/upgrade opmeter/);
    expect(() =>
      parseBatchJson(
        bad((d) => {
          d.files[2].samples = -1;
        }),
      ),
    ).toThrow('files[2].samples: expected a number >= 0, got -1');
    expect(() =>
      parseBatchJson(
        bad((d) => {
          d.files[0].status = 'ok';
        }),
      ),
    ).toThrow(/files\[0\]\.status: expected one of success, error, skipped/);
    expect(() =>
      parseBatchJson(
        bad((d) => {
          delete d.summary.timing.meanSeconds;
        }),
      ),
    ).toThrow(/summary\.timing\.meanSeconds: .*missing/);

    const csv = batchToCsv(fixtureExport());
    expect(() => parseBatchCsv('')).toThrow(/empty/);
    expect(() => parseBatchCsv('file,status\r\n')).toThrow(/missing column\(s\) batch_id/);
    expect(() => parseBatchCsv(csv.replace(',0.3,', ',abc,'))).toThrow(
      /line 3: duration_seconds "abc" is not a number >= 0/,
    );
    expect(() => parseBatchCsv(csv.replace(',skipped,', ',maybe,'))).toThrow(/status "maybe"/);
    expect(() => parseBatchCsv(`${csv}"unterminated`)).toThrow(/never closed/);
    expect(() =>
      parseBatchCsv(csv.replace('run-7,WAVEFORMS,lab,b.wfm', 'run-8,WAVEFORMS,lab,b.wfm')),
    ).toThrow(/export one batch per file/);
  });
});

/** Any number a caller may pass, the hostile ones often. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    0,
  ),
);
/** Any string, with formula starts, quotes, control characters and lone surrogates likely. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '=1+1', "'=x", '+', '-3', '@a', '\t', '\r', '"', ',', 'NaN', 'Infinity'),
);
const fileCall = fc.record({
  file: anyText,
  status: fc.constantFrom('success', 'error', 'skipped', 'bogus'),
  durationSeconds: anyNumber,
  samples: fc.option(anyNumber, { nil: undefined }),
  measurements: fc.option(anyNumber, { nil: undefined }),
  bytes: fc.option(anyNumber, { nil: undefined }),
  peakMemoryBytes: fc.option(anyNumber, { nil: undefined }),
  error: fc.option(anyText, { nil: undefined }),
});

/** `value` with every -0 as 0: neither JSON nor CSV tells them apart, and no figure needs the sign. */
function withoutNegativeZero<T>(value: T): T {
  if (Object.is(value, -0)) return 0 as T;
  if (Array.isArray(value)) return value.map(withoutNegativeZero) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]),
    ) as T;
  }
  return value;
}

describe('batch exports are accepted by their own readers, for any input', () => {
  it('a job fed any codes, names, figures and errors: toJson and toCsv read back to the same records', () => {
    const otel = createTestMeterProvider();
    const batches = new BatchInstrumentation({ meterProvider: otel.meterProvider });
    fc.assert(
      fc.property(
        anyText,
        anyText,
        anyText,
        fc.array(fileCall, { maxLength: 12 }),
        (code, pkg, id, calls) => {
          const job = batches.start(code, { package: pkg, id });
          for (const call of calls) {
            const { file, error, ...result } = call;
            job.recordFile(file, {
              ...result,
              ...(error !== undefined && { error: new Error(error) }),
            });
          }
          job.finish();
          const exported = withoutNegativeZero(job.toExport());
          expect(parseBatchJson(job.toJson())).toEqual(exported);
          expect(parseBatchExport(job.toJson(), 'x.json').summary).toEqual(exported.summary);
          const csv = parseBatchCsv(job.toCsv());
          if (exported.files.length > 0) {
            expect(csv).toMatchObject({ id: exported.batch.id, code: exported.batch.code });
          }
          expect(csv.files).toEqual(exported.files);
          expect(() => batchFromCsv(csv)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('summaries with figures JSON cannot hold (Infinity, NaN) read back exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom(Number.POSITIVE_INFINITY, Number.NaN, 1e-320), (elapsed) => {
        const files = [
          {
            file: 'a',
            status: 'success' as const,
            durationSeconds: Number.MAX_VALUE,
            samples: Number.MAX_VALUE,
            measurements: 1,
            bytes: Number.MAX_VALUE,
            peakMemoryBytes: null,
            errorType: null,
            errorMessage: null,
            endedAt: '2026-01-11T23:00:00.000Z',
          },
        ];
        const files2 = [...files, { ...files[0], file: 'b' }] as BatchExport['files'];
        const exported: BatchExport = {
          batch: {
            id: 'i',
            code: 'c',
            package: 'p',
            startedAt: '2026-01-11T23:00:00.000Z',
            endedAt: null,
            elapsedSeconds: 1e-320,
            totalFiles: null,
          },
          summary: summarizeFiles(files2, elapsed),
          files: files2,
        };
        expect(parseBatchJson(batchToJson(exported))).toEqual(exported);
        expect(parseBatchCsv(batchToCsv(exported)).files).toEqual(exported.files);
      }),
    );
  });
});
