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

  it.each([
    [{ batchSize: 0 }, 'batchSize is 0: expected a whole number between 1 and'],
    [{ maxQueueSize: 2.5 }, 'maxQueueSize is 2.5: expected a whole number'],
    [{ warningIntervalMs: -5 }, 'warningIntervalMs is -5: expected a whole number between 0 and'],
    [{ flushIntervalMs: Number.NaN }, 'flushIntervalMs is NaN: expected a number above 0'],
    [{ retention: { days: 0 } }, 'retention.days is 0: expected a number above 0'],
    [{ retention: { chunkSize: 0.5 } }, 'retention.chunkSize is 0.5: expected a whole number'],
    [{ spill: { path: './s.db', maxBytes: -1 } }, 'spill.maxBytes is -1: expected a number'],
    [{ onWarning: 5 }, 'onWarning must be a function'],
    [{ meterProvider: {} }, 'meterProvider must be an OpenTelemetry MeterProvider'],
    [
      { flushIntervalMs: 2 ** 31 },
      'flushIntervalMs is 2147483648: expected a number above 0 and at most 2147483647',
    ],
    [
      { retention: { days: 1e9 } },
      'retention.days is 1000000000: expected a number above 0 and at most 100000',
    ],
    [
      { retention: true },
      'retention must be false (keep every row) or { days, everyBatches, chunkSize }; got boolean',
    ],
    [{ retention: null }, 'retention must be false'],
    [{ spill: true }, 'spill must be false or { path:'],
    [{ spill: {} }, 'spill must be false or { path:'],
    [{ spill: { path: './s.db', fsync: 'yes' } }, 'spill.fsync must be true or false'],
    [{ schemas: 'x' }, 'schemas must be a list of YAML files or folders'],
  ])('refuses %j at construction, not later in the background', (option, message) => {
    const options = { url: 'sqlite::memory:', ...option } as never;
    expect(() => createDefMetricWriter(options)).toThrow(OpmeterConfigError);
    expect(() => createDefMetricWriter(options)).toThrow(
      `createDefMetricWriter options: ${message}`,
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => createDefMetricWriter(null as never)).toThrow(
      'createDefMetricWriter options must be an object of options, got null',
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
