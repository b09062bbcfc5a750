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
    ).toThrow('files[2].samples: expected a finite number >= 0, got -1');
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
