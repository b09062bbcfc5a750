import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../src/def-metric/dialect/connection-url.js';
import { createDialect } from '../../src/def-metric/dialect/create-dialect.js';
import {
  createDefMetricWriter,
  DefMetricRowWriter,
  loadSchemaRegistry,
  OpmeterConfigError,
} from '../../src/def-metric/index.js';

describe('def_metric writer options', () => {
  it('refuses a misspelt option instead of ignoring it, naming the key and the allowed ones', () => {
    const misspelt = { url: 'sqlite::memory:', retension: false } as never;
    expect(() => createDefMetricWriter(misspelt)).toThrow(OpmeterConfigError);
    expect(() => createDefMetricWriter(misspelt)).toThrow(
      /createDefMetricWriter options has an unknown key 'retension': allowed keys are .*retention.*url/,
    );
  });

  it('refuses an option out of its range with the same error', () => {
    expect(() => createDefMetricWriter({ url: 'sqlite::memory:', batchSize: 0 })).toThrow(
      new OpmeterConfigError('def_metric writer option batchSize must be a positive number, got 0'),
    );
  });

  it('refuses a misspelt key inside retention and spill', () => {
    const retention = { url: 'sqlite::memory:', retention: { dayz: 7 } } as never;
    expect(() => createDefMetricWriter(retention)).toThrow(
      "createDefMetricWriter options: retention has an unknown key 'dayz': allowed keys are days, everyBatches, chunkSize",
    );
    const spill = { url: 'sqlite::memory:', spill: { pth: './spill.db' } } as never;
    expect(() => createDefMetricWriter(spill)).toThrow(/spill has an unknown key 'pth'/);
  });

  it('checks a writer built directly too, and accepts every documented option', async () => {
    const dialect = createDialect(parseConnectionUrl('sqlite::memory:'));
    const schemas = loadSchemaRegistry();
    expect(() => new DefMetricRowWriter({ dialect, schemas, batchsize: 10 } as never)).toThrow(
      /DefMetricRowWriter options has an unknown key 'batchsize'/,
    );
    const writer = createDefMetricWriter({
      url: 'sqlite::memory:',
      migrate: true,
      maxQueueSize: 100,
      batchSize: 10,
      flushIntervalMs: 50,
      retryInitialMs: 10,
      retryMaxMs: 100,
      probeIntervalMs: 100,
      retention: { days: 30, everyBatches: 10, chunkSize: 100 },
      warningIntervalMs: 1000,
      onWarning: () => {},
      spill: false,
    });
    await writer.close();
    await dialect.close();
  });
});
