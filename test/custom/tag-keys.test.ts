import { describe, expect, it } from 'vitest';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

describe('custom metric series keys', () => {
  it('keeps tag sets apart whatever characters their names and values hold', () => {
    const custom = new CustomMetrics({ meterProvider: createTestMeterProvider().meterProvider });
    custom.increment('orders', 1, { a: 'x\u0002b\u0001string:y' });
    custom.increment('orders', 2, { a: 'x', b: 'y' });
    custom.increment('orders', 4, { a: 'x', b: 'y' });
    custom.increment('orders', 8, { 'a\u0001string:x\u0002b': 'y' });
    const series = custom.snapshot().counters.orders;
    expect(series).toEqual(
      expect.arrayContaining([
        { tags: { a: 'x\u0002b\u0001string:y' }, value: 1 },
        { tags: { a: 'x', b: 'y' }, value: 6 },
        { tags: { 'a\u0001string:x\u0002b': 'y' }, value: 8 },
      ]),
    );
    expect(series).toHaveLength(3);
  });

  it('keeps a number and the same digits as a string apart', () => {
    const custom = new CustomMetrics({ meterProvider: createTestMeterProvider().meterProvider });
    custom.increment('calls', 1, { code: 200 });
    custom.increment('calls', 1, { code: '200' });
    expect(custom.snapshot().counters.calls).toHaveLength(2);
  });
});
