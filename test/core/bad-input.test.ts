import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { WORKFLOW_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import type { DefMetricRow } from '../../src/core/row-sink.js';
import {
  ADJUSTMENT_NEGATIVE,
  ADJUSTMENT_NOT_A_STRING,
  ADJUSTMENT_NOT_FINITE,
  ADJUSTMENT_TRUNCATED,
  ATTR_OPMETER_FIELD,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
  METRIC_OPMETER_INTERNAL_ERRORS,
  UNPRINTABLE_VALUE,
} from '../../src/core/self-metrics.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

function setup() {
  const otel = createTestMeterProvider();
  const stats = new SessionStats();
  const rows: DefMetricRow[] = [];
  const workflows = new WorkflowInstrumentation({
    meterProvider: otel.meterProvider,
    stats,
    rows: { enqueue: (_table, row) => rows.push(row) },
  });
  const adjusted = async (field: string, reason: string) =>
    (
      await otel.point(METRIC_OPMETER_INPUT_ADJUSTED, {
        [ATTR_OPMETER_FIELD]: field,
        [ATTR_OPMETER_REASON]: reason,
      })
    ).value;
  return { ...otel, stats, rows, workflows, adjusted };
}

describe('bad input never throws and has a documented, counted outcome', () => {
  it('NaN and Infinity item counts become 0; negative counts are clamped to 0', async () => {
    const { workflows, stats, adjusted } = setup();
    const run = workflows.start('ITEMS');
    expect(() =>
      run.addItems(Number.NaN).addItems(Number.POSITIVE_INFINITY).addItems(-5).addItems(7),
    ).not.toThrow();
    run.end();
    expect(stats.snapshot().operations[0]?.items).toBe(7);
    expect(await adjusted('items', ADJUSTMENT_NOT_FINITE)).toBe(2);
    expect(await adjusted('items', ADJUSTMENT_NEGATIVE)).toBe(1);
  });

  it('a non-string code or package is stringified, a huge one truncated', async () => {
    const { workflows, point, adjusted } = setup();
    workflows.start(42 as unknown as string, { package: { p: 1 } as unknown as string }).end();
    workflows.start('X'.repeat(100_000)).end();
    await point(METRIC_WORKFLOW_DURATION, {
      [ATTR_WORKFLOW_CODE]: '42',
      [ATTR_PACKAGE]: '[object Object]',
    });
    await point(METRIC_WORKFLOW_DURATION, {
      [ATTR_WORKFLOW_CODE]: 'X'.repeat(WORKFLOW_METRIC_LENGTHS.WorkflowCode),
    });
    expect(await adjusted(ATTR_WORKFLOW_CODE, ADJUSTMENT_NOT_A_STRING)).toBe(1);
    expect(await adjusted(ATTR_PACKAGE, ADJUSTMENT_NOT_A_STRING)).toBe(1);
    expect(await adjusted(ATTR_WORKFLOW_CODE, ADJUSTMENT_TRUNCATED)).toBe(1);
  });

  it.each([
    ['a string', 'plain string', '_OTHER', 'plain string'],
    ['null', null, '_OTHER', 'null'],
    ['undefined', undefined, '_OTHER', 'undefined'],
    ['a plain object', { reason: 'x' }, '_OTHER', '{"reason":"x"}'],
    [
      'a custom error class',
      new (class QuotaExceeded extends Error {})('over'),
      'QuotaExceeded',
      'over',
    ],
  ])(
    'a thrown %s fails the run with a documented error.type and is rethrown as is',
    async (_label, thrown, type, message) => {
      const { workflows, point, rows } = setup();
      let caught: unknown = 'nothing';
      try {
        workflows.run('THROWS', () => {
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
      await point(METRIC_WORKFLOW_DURATION, { [ATTR_ERROR_TYPE]: type });
      expect(rows[0]?.ErrorMessage).toBe(message);
    },
  );

  it('a row sink or stats that throw are swallowed and counted, the result still returned', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({
      meterProvider: otel.meterProvider,
      rows: {
        enqueue: () => {
          throw new Error('sink broken');
        },
      },
    });
    expect(workflows.run('SAFE', () => 'result')).toBe('result');
    expect((await otel.point(METRIC_OPMETER_INTERNAL_ERRORS)).value).toBe(1);
  });

  it('an itemsOf callback that throws does not fail the operation', async () => {
    const { workflows, point } = setup();
    const value = await workflows.run('CB', async () => 3, {
      itemsOf: () => {
        throw new Error('bad callback');
      },
    });
    expect(value).toBe(3);
    expect((await point(METRIC_OPMETER_INTERNAL_ERRORS)).value).toBe(1);
    expect(
      (await point<Histogram>(METRIC_WORKFLOW_DURATION, { outcome: 'success' })).value.count,
    ).toBe(1);
  });
});

describe('hostile values never throw into the caller', () => {
  const unprintable = Object.create(null) as object;
  const throwingToString = {
    toString() {
      throw new Error('no text');
    },
  };

  it('a code without a string form (null prototype, throwing toString) becomes a fixed text', async () => {
    const { workflows, point, adjusted } = setup();
    expect(() => workflows.start(unprintable as unknown as string).end()).not.toThrow();
    expect(() => workflows.start(throwingToString as unknown as string).end()).not.toThrow();
    await point(METRIC_WORKFLOW_DURATION, { [ATTR_WORKFLOW_CODE]: UNPRINTABLE_VALUE });
    expect(await adjusted(ATTR_WORKFLOW_CODE, ADJUSTMENT_NOT_A_STRING)).toBe(2);
  });

  it('a numeric string or other non-number count is 0 (counted), never concatenated', async () => {
    const { workflows, stats, adjusted } = setup();
    const run = workflows.start('COUNTS');
    expect(() =>
      run
        .addItems('5' as unknown as number)
        .addItems(null as unknown as number)
        .addItems(2n as unknown as number)
        .addItems(3),
    ).not.toThrow();
    run.end();
    expect(stats.snapshot().operations[0]?.items).toBe(3);
    expect(await adjusted('items', ADJUSTMENT_NOT_FINITE)).toBe(3);
  });

  it('an error whose code, name or message getter throws still fails the run, typed _OTHER', async () => {
    const { workflows, point, rows } = setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('getter');
        },
      },
    );
    let caught: unknown;
    try {
      workflows.run('HOSTILE', () => {
        throw hostile;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(hostile);
    await point(METRIC_WORKFLOW_DURATION, { [ATTR_ERROR_TYPE]: '_OTHER' });
    expect(rows).toHaveLength(1);
  });
});
