import { describe, expect, it } from 'vitest';
import { OpmeterConfigError } from '../../src/core/config-error.js';
import { positiveIntegers } from '../../src/core/config-validation.js';
import { InputGuard } from '../../src/core/input-guard.js';
import type { EndedOperation } from '../../src/core/operation-domain.js';
import {
  MAX_CACHED_ERROR_TYPES,
  OperationSeries,
  OperationSeriesCache,
} from '../../src/core/operation-series.js';
import { METRIC_OPMETER_INPUT_ADJUSTED } from '../../src/core/self-metrics.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

const KEYS = { code: 'x.code', extra: 'x.kind' };

function failure(errorType: string): EndedOperation<unknown> {
  return {
    name: 'N',
    fields: {},
    durationSeconds: 1,
    items: 0,
    memoryMB: undefined,
    endedAt: 0,
    success: false,
    error: new Error(errorType),
    errorType,
  };
}

describe('OperationSeries', () => {
  it('builds the base and outcome sets once, leaving out an empty extra value', () => {
    const series = new OperationSeries('C', 'p', '', KEYS);
    expect(series.attributes).toEqual({ 'x.code': 'C', package: 'p' });
    expect(series.successAttributes).toEqual({ 'x.code': 'C', package: 'p', outcome: 'success' });
    expect(series.failureAttributes).toEqual({ 'x.code': 'C', package: 'p', outcome: 'failure' });
    expect(series.partialAttributes).toBe(series.successAttributes);
    const kind = new OperationSeries('C', 'p', 'k', KEYS);
    expect(kind.attributes).toEqual({ 'x.code': 'C', package: 'p', 'x.kind': 'k' });
  });

  it('records under the domain’s own outcome attribute and partial value', () => {
    const outcomes = { key: 'status', success: 'ok', failure: 'error', partial: 'skipped' };
    const series = new OperationSeries('C', 'p', '', { code: 'x.code', outcomes });
    expect(series.partialAttributes).toEqual({ 'x.code': 'C', package: 'p', status: 'skipped' });
    const ok = { ...failure('E'), success: true, error: undefined, errorType: undefined } as const;
    expect(series.outcomeOf(ok, true)).toBe(series.partialAttributes);
    expect(series.outcomeOf(ok)).toBe(series.successAttributes);
    expect(series.outcomeOf(failure('EIO'))).toEqual({
      'x.code': 'C',
      package: 'p',
      status: 'error',
      'error.type': 'EIO',
    });
  });

  it('reuses the failure set of an error type, and past the bound still builds the right one', () => {
    const series = new OperationSeries('C', 'p', '', KEYS);
    expect(series.outcomeOf(failure('EIO'))).toBe(series.outcomeOf(failure('EIO')));
    for (let i = 0; i < MAX_CACHED_ERROR_TYPES; i++) series.failedWith(`E${i}`);
    const late = series.failedWith('LATE');
    expect(late).toEqual({ ...series.failureAttributes, 'error.type': 'LATE' });
    expect(series.failedWith('LATE')).not.toBe(late);
  });

  it('derives and reuses a set with one more attribute', () => {
    const series = new OperationSeries('C', 'p', '', KEYS);
    const done = series.with('step', 'done');
    expect(done).toEqual({ 'x.code': 'C', package: 'p', step: 'done' });
    expect(series.with('step', 'done')).toBe(done);
    expect(series.with('step', 'failed')).not.toBe(done);
  });
});

describe('OperationSeriesCache', () => {
  it('reads code and package from user input through the guard, counting what it fixes', async () => {
    const otel = createTestMeterProvider();
    const guard = new InputGuard(otel.meterProvider.getMeter('t'), 'test');
    const cache = new OperationSeriesCache(KEYS);
    const series = cache.of(guard, 42, 'p', 'k');
    expect(series.code).toBe('42');
    expect(cache.of(guard, '42', 'p', 'k')).toBe(series);
    const adjusted = await otel.point(METRIC_OPMETER_INPUT_ADJUSTED, {
      'opmeter.field': 'x.code',
      'opmeter.reason': 'not_a_string',
    });
    expect(adjusted.value).toBe(1);
  });

  it('keeps one package-and-extra set per pair, bounded like the series', () => {
    const cache = new OperationSeriesCache(KEYS, 2);
    const group = cache.groupOf('p', 'k');
    expect(group).toEqual({ package: 'p', 'x.kind': 'k' });
    expect(cache.groupOf('p', 'k')).toBe(group);
    expect(cache.groupOf('p', '')).toEqual({ package: 'p' });
    cache.groupOf('q', 'k');
    expect(cache.groupOf('r', 'k')).toEqual({ package: 'r', 'x.kind': 'k' });
    expect(cache.groupOf('r', 'k')).not.toBe(cache.groupOf('r', 'k'));
    expect(cache.groupOf('p', 'k')).toBe(group);
  });
});

describe('positiveIntegers', () => {
  it('reads every option of the defaults and names the first bad one', () => {
    const defaults = { maxA: 10, maxB: 20 };
    expect(positiveIntegers('Owner', { maxA: 3 }, defaults)).toEqual({ maxA: 3, maxB: 20 });
    expect(() => positiveIntegers('Owner', { maxB: 0 }, defaults)).toThrow(OpmeterConfigError);
    expect(() => positiveIntegers('Owner', { maxB: 1.5 }, defaults)).toThrow(
      /Owner: maxB must be a positive integer, got 1.5; omit it to use the default 20/,
    );
  });
});
