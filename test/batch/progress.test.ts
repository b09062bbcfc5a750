import { describe, expect, it } from 'vitest';
import {
  BatchInstrumentation,
  formatProgress,
  type ProgressStream,
} from '../../instrumentations/batch/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

class FakeStream implements ProgressStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean | undefined) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

function runJob(stream: ProgressStream, intervalMs: number, files = 3) {
  const otel = createTestMeterProvider();
  const batches = new BatchInstrumentation({ meterProvider: otel.meterProvider });
  const job = batches.start('IMPORT', { totalFiles: files, progress: { stream, intervalMs } });
  for (let i = 0; i < files; i++) job.recordFile(`f${i}`, { durationSeconds: 0.1 });
  job.finish();
}

describe('batch progress line', () => {
  it('formats done/total, percentage, rate and ETA', () => {
    // 42 files in 14 s = 3 files/s; 78 left / 3 = 26 s.
    expect(formatProgress('JOB', 42, 120, 14)).toBe(
      'JOB 42/120 files 35.0% | 3.00 files/s | ETA 0:26',
    );
    // 10 of 10000 in 4 s = 2.5 files/s; 9990 / 2.5 = 3996 s = 1 h 6 min 36 s.
    expect(formatProgress('JOB', 10, 10_000, 4)).toBe(
      'JOB 10/10000 files 0.1% | 2.50 files/s | ETA 1:06:36',
    );
    expect(formatProgress('JOB', 5, null, 2)).toBe('JOB 5 files | 2.50 files/s');
    expect(formatProgress('JOB', 0, 10, 0)).toBe('JOB 0/10 files 0.0% | 0.00 files/s');
  });

  it('redraws in place on a terminal and ends the line at finish', () => {
    const tty = new FakeStream(true);
    runJob(tty, 0);
    const draws = tty.chunks.filter((c) => c.startsWith('\r'));
    expect(draws).toHaveLength(4);
    expect(draws[0]).toMatch(/^\rIMPORT 1\/3 files 33\.3% \| [\d.]+ files\/s/);
    expect(draws[2]).toMatch(/^\rIMPORT 3\/3 files 100\.0%/);
    expect(draws[3]).toMatch(/^\rIMPORT 3\/3 files 100\.0%/);
    for (const draw of draws) {
      expect(draw.endsWith('\x1b[K')).toBe(true);
      expect(draw).not.toContain('\n');
    }
    expect(tty.chunks.at(-1)).toBe('\n');
  });

  it('throttles redraws to the interval', () => {
    const tty = new FakeStream(true);
    runJob(tty, 60_000, 50);
    // The first file draws, the next 49 fall inside the interval, finish always draws.
    expect(tty.chunks.filter((c) => c.startsWith('\r'))).toHaveLength(2);
    expect(tty.chunks.at(-1)).toBe('\n');
  });

  it('writes nothing when the stream is not a terminal', () => {
    for (const isTTY of [false, undefined]) {
      const pipe = new FakeStream(isTTY);
      runJob(pipe, 0);
      expect(pipe.chunks).toEqual([]);
    }
  });
});
