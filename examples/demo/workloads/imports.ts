import type { ModuleInstrumentation } from '../../../instrumentations/module/index.js';
import { between, chance, latencyMs, pick, sleep } from '../random.js';
import { loop, type Workload } from './workload.js';

const FILES = ['customers.csv', 'orders.csv', 'products.xlsx'] as const;

/** The reference module: a data import every ~2 s with items, file size, cache hits and API calls. */
export function startImports(imports: ModuleInstrumentation): Workload {
  return loop(
    'imports',
    () => {
      const file = pick(FILES);
      return imports.run(
        'import_file',
        async (operation) => {
          operation.target(file).fileSize(Math.round(between(100_000, 20_000_000)));
          await sleep(latencyMs(400, 0.5));
          operation.cacheHit(Math.round(between(0, 50))).apiCall(Math.round(between(1, 5)));
          if (chance(0.04))
            throw Object.assign(new Error(`${file}: permission denied`), { code: 'EACCES' });
          operation.addItems(Math.round(between(1000, 50_000)));
        },
        { code: file.split('.')[0]?.toUpperCase() ?? 'FILE', package: 'core' },
      );
    },
    () => latencyMs(2000, 0.3),
  );
}
