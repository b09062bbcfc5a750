import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_OPMETER_ERROR_CATEGORY,
  ATTR_OPMETER_MODULE,
  ATTR_OPMETER_OPERATION,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  InvalidModuleConfigError,
  METRIC_MODULE_ACTIVE,
  METRIC_MODULE_API_CALLS,
  METRIC_MODULE_CACHE_HITS,
  METRIC_MODULE_FILE_SIZE,
  METRIC_MODULE_ITEMS,
  METRIC_MODULE_OPERATION_DURATION,
  MODULE_CODE_ROW_KEY,
  MODULE_FILE_SIZE_BUCKETS,
  MODULE_OPERATION_DURATION_BUCKETS,
  ModuleInstrumentation,
} from '../../instrumentations/module/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { createTestTargets } from '../support/test-targets.js';

function setup() {
  const targets = createTestTargets();
  const imports = new ModuleInstrumentation({ ...targets.options, module: 'dataimport' });
  return { ...targets, imports };
}

const MB = 1024 * 1024;

afterEach(() => setRecordingEnabled(true));

describe('ModuleInstrumentation', () => {
  it('creates instruments with units, descriptions and the default buckets', async () => {
    const { imports, metric } = setup();
    imports.start('import_file').fileSize(10).cacheHit().apiCall().addItems(1).end();
    const duration = await metric(METRIC_MODULE_OPERATION_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/module operations/i);
    const point = duration.dataPoints[0]?.value as Histogram;
    expect(point.buckets.boundaries).toEqual(MODULE_OPERATION_DURATION_BUCKETS);
    const size = await metric(METRIC_MODULE_FILE_SIZE);
    expect(size.descriptor.unit).toBe('By');
    const sizePoint = size.dataPoints[0]?.value as Histogram;
    expect(sizePoint.buckets.boundaries).toEqual(MODULE_FILE_SIZE_BUCKETS);
    const units: Record<string, string> = {
      [METRIC_MODULE_ITEMS]: '{item}',
      [METRIC_MODULE_CACHE_HITS]: '{hit}',
      [METRIC_MODULE_API_CALLS]: '{call}',
      [METRIC_MODULE_ACTIVE]: '{operation}',
    };
    for (const [name, unit] of Object.entries(units)) {
      const m = await metric(name);
      expect(m.descriptor.unit).toBe(unit);
      expect(m.descriptor.description.length).toBeGreaterThan(10);
    }
  });

  it('records a successful operation on every instrument and as a def_dataimport_metric row', async () => {
    const { imports, point, rows, stats } = setup();
    const result = await imports.run(
      'import_file',
      async (op) => {
        op.target('customers')
          .fileSize(3 * MB)
          .fileSize(MB);
        op.cacheHit(4).cacheHit().apiCall(2);
        op.addItems(1200);
        return 'ok';
      },
      { code: 'CUSTOMERS_CSV', package: 'crm' },
    );
    expect(result).toBe('ok');
    const base = {
      [ATTR_OPMETER_MODULE]: 'dataimport',
      [ATTR_OPMETER_OPERATION]: 'import_file',
      [ATTR_PACKAGE]: 'crm',
    };
    const duration = await point<Histogram>(METRIC_MODULE_OPERATION_DURATION, {
      ...base,
      [ATTR_OUTCOME]: 'success',
    });
    expect(duration.value.count).toBe(1);
    expect(duration.attributes[ATTR_ERROR_TYPE]).toBeUndefined();
    expect((await point<Histogram>(METRIC_MODULE_OPERATION_DURATION, base)).value.count).toBe(1);
    expect((await point(METRIC_MODULE_ITEMS, base)).value).toBe(1200);
    expect((await point(METRIC_MODULE_CACHE_HITS, base)).value).toBe(5);
    expect((await point(METRIC_MODULE_API_CALLS, base)).value).toBe(2);
    expect((await point<Histogram>(METRIC_MODULE_FILE_SIZE, base)).value.sum).toBe(4 * MB);
    expect((await point(METRIC_MODULE_ACTIVE, base)).value).toBe(0);

    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.table).toBe('def_dataimport_metric');
    const row = rows.rows[0]?.row ?? {};
    expect(row).toMatchObject({
      ModuleCode: 'CUSTOMERS_CSV',
      Package: 'crm',
      OperationName: 'import_file',
      TargetEntity: 'customers',
      ItemsProcessed: 1200,
      FileSizeMB: 4,
      CacheHits: 5,
      APICallsMade: 2,
      OperationSuccess: true,
      ErrorMessage: null,
      ErrorCategory: null,
    });
    expect(row.ElapsedSeconds).toBeGreaterThanOrEqual(0);
    expect(row.MemoryUsageMB).toBeGreaterThan(1);
    expect('ItemsPerSecond' in row).toBe(false);
    expect(stats.snapshot().operations[0]).toMatchObject({
      domain: 'dataimport',
      operation: 'import_file',
      operations: 1,
      items: 1200,
    });
  });

  it('records a failure with error.type, error category and message, rethrowing the original', async () => {
    const { imports, point, rows } = setup();
    const error = Object.assign(new Error('upstream took too long'), { code: 'ETIMEDOUT' });
    await expect(
      imports.run('fetch_rates', async (op) => {
        op.apiCall();
        throw error;
      }),
    ).rejects.toBe(error);
    const failed = await point<Histogram>(METRIC_MODULE_OPERATION_DURATION, {
      [ATTR_OUTCOME]: 'failure',
      [ATTR_ERROR_TYPE]: 'ETIMEDOUT',
      [ATTR_OPMETER_ERROR_CATEGORY]: 'TIMEOUT',
      [ATTR_PACKAGE]: 'default',
    });
    expect(failed.value.count).toBe(1);
    expect(rows.rows[0]?.row).toMatchObject({
      ModuleCode: 'fetch_rates',
      OperationSuccess: false,
      ErrorMessage: 'upstream took too long',
      ErrorCategory: 'TIMEOUT',
      FileSizeMB: null,
      TargetEntity: null,
      APICallsMade: 1,
    });
    expect(() =>
      imports.run('parse', () => {
        throw new TypeError('bad header');
      }),
    ).toThrow('bad header');
    expect(rows.rows[1]?.row).toMatchObject({ ErrorCategory: 'VALIDATION' });
  });

  it('measures explicit handles, wrap and the decorator the same way', async () => {
    const { imports, point, rows } = setup();
    imports.start('SAME', { code: 'C1', target: 'orders' }).addItems(2).end();
    const wrapped = imports.wrap('SAME', (n: number) => n, {
      code: 'C1',
      target: 'orders',
      itemsOf: (r) => r,
    });
    expect(wrapped(2)).toBe(2);
    class Importer {
      factor = 2;
      @imports.measure('SAME', { code: 'C1', target: 'orders', itemsOf: (r) => r as number })
      load(n: number) {
        return n * this.factor;
      }
    }
    expect(new Importer().load(1)).toBe(2);
    const ops = await point<Histogram>(METRIC_MODULE_OPERATION_DURATION, {
      [ATTR_OPMETER_OPERATION]: 'SAME',
      [ATTR_OUTCOME]: 'success',
    });
    expect(ops.value.count).toBe(3);
    expect((await point(METRIC_MODULE_ITEMS, { [ATTR_OPMETER_OPERATION]: 'SAME' })).value).toBe(6);
    const comparable = rows.rows.map(({ table, row }) => {
      const { ElapsedSeconds: _e, MemoryUsageMB: _m, ...rest } = row;
      return { table, ...rest };
    });
    expect(comparable).toHaveLength(3);
    expect(comparable[1]).toEqual(comparable[0]);
    expect(comparable[2]).toEqual(comparable[0]);
    expect(comparable[0]).toMatchObject({ ModuleCode: 'C1', ItemsProcessed: 2 });
  });

  it('sends the code under ModuleCode (the code column is named in the YAML only) and counts bad counts instead of throwing', async () => {
    const { imports, rows, point } = setup();
    expect(imports.table).toBe('def_dataimport_metric');
    imports.start('x').cacheHit(Number.NaN).apiCall(-3).fileSize(Number.POSITIVE_INFINITY).end();
    expect(rows.rows[0]?.row).toMatchObject({
      [MODULE_CODE_ROW_KEY]: 'x',
      CacheHits: 0,
      APICallsMade: 0,
      FileSizeMB: 0,
    });
    expect('DataimportCode' in (rows.rows[0]?.row ?? {})).toBe(false);
    expect((await point('opmeter.input.adjusted', { 'opmeter.field': 'api_calls' })).value).toBe(1);
  });

  it('names the table after the module', () => {
    const otel = createTestMeterProvider();
    const m = new ModuleInstrumentation({
      meterProvider: otel.meterProvider,
      module: 'billing_run',
    });
    expect(m.table).toBe('def_billing_run_metric');
  });

  it('rejects invalid module names and code columns at construction with a precise message', () => {
    expect(() => new ModuleInstrumentation({ module: 'Data Import' })).toThrow(
      InvalidModuleConfigError,
    );
    expect(() => new ModuleInstrumentation({ module: 'Data Import' })).toThrow(
      /module "Data Import" is not a valid module name; use 1 to 50 lower-case letters/,
    );
    // The removed option, from plain JS: the YAML declares the code column now.
    expect(
      () => new ModuleInstrumentation({ module: 'x', codeColumn: 'PaymentCode' } as never),
    ).toThrow(/codeColumn option was removed; the table's YAML declares the code column/);
    expect(() => new ModuleInstrumentation({ module: 'x', buckets: [2, 1] })).toThrow(
      /sorted ascending/,
    );
  });

  it('records nothing while recording is switched off', async () => {
    const { imports, metrics, rows } = setup();
    setRecordingEnabled(false);
    await imports.run('off', async (op) => op.addItems(3));
    setRecordingEnabled(true);
    const collected = await metrics();
    expect(collected.get(METRIC_MODULE_OPERATION_DURATION)).toBeUndefined();
    expect(collected.get(METRIC_MODULE_ACTIVE)).toBeUndefined();
    expect(rows.rows).toHaveLength(0);
  });

  it('treats null options like none, for plain-JS callers', async () => {
    const { imports, point, rows } = setup();
    imports.start('null_opts', null as never).end();
    expect(imports.run('null_opts', () => 1, null as never)).toBe(1);
    expect(imports.wrap('null_opts', (n: number) => n + 1, null as never)(1)).toBe(2);
    class Importer {
      @imports.measure('null_opts', null as never)
      load() {
        return 1;
      }
    }
    expect(new Importer().load()).toBe(1);
    const operations = await point<Histogram>(METRIC_MODULE_OPERATION_DURATION, {
      [ATTR_OPMETER_OPERATION]: 'null_opts',
      [ATTR_PACKAGE]: 'default',
      [ATTR_OUTCOME]: 'success',
    });
    expect(operations.value.count).toBe(4);
    expect(rows.rows.map((r) => r.row[MODULE_CODE_ROW_KEY])).toEqual(Array(4).fill('null_opts'));
  });
});
