import type { BatchInstrumentation } from '../../../instrumentations/batch/index.js';
import { between, chance, latencyMs, sleep } from '../random.js';
import { loop, type Workload } from './workload.js';

/** Every ~10 s, a batch of 8–20 sensor files: most succeed, a few fail to parse or are skipped. */
export function startBatches(batches: BatchInstrumentation): Workload {
  return loop(
    'batches',
    async () => {
      const files = Math.round(between(8, 20));
      const job = batches.start('SENSOR_INGEST', { package: 'lab', totalFiles: files });
      for (let i = 0; i < files; i++) {
        const name = `run-${String(i).padStart(3, '0')}.csv`;
        if (chance(0.08)) {
          job.skip(name, 'empty file');
          continue;
        }
        await job
          .file(
            name,
            async (file) => {
              await sleep(latencyMs(150, 0.6));
              if (chance(0.06)) throw new SyntaxError(`unexpected token in ${name}`);
              file.addSamples(Math.round(between(500, 5000)));
              file.addMeasurements(Math.round(between(10, 80)));
            },
            { bytes: Math.round(between(50_000, 2_000_000)) },
          )
          .catch(() => undefined);
      }
      job.finish();
    },
    () => latencyMs(8000, 0.2),
  );
}
