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

describe('custom metric tags', () => {
  it('are read once: a getter or Proxy that answers differently later changes nothing and never throws', () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    let reads = 0;
    const flakyKeys = new Proxy(
      { region: 'eu' },
      {
        ownKeys(target) {
          reads++;
          if (reads > 1) throw new Error('ownKeys answers once');
          return Reflect.ownKeys(target);
        },
      },
    );
    let gets = 0;
    const flakyGetter = {
      get region() {
        gets++;
        if (gets > 1) throw new Error('the getter answers once');
        return 'us';
      },
    };
    expect(() => custom.increment('orders', 1, flakyKeys)).not.toThrow();
    expect(() => custom.increment('orders', 2, flakyGetter)).not.toThrow();
    expect(custom.snapshot().counters.orders).toEqual([
      { tags: { region: 'eu' }, value: 1 },
      { tags: { region: 'us' }, value: 2 },
    ]);
  });

  it('are copied, so one tags object reused with other values records each set, in OTel too', async () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    const tags = { region: '' };
    for (const region of ['eu', 'us', 'eu']) {
      tags.region = region;
      custom.increment('orders', 1, tags);
    }
    expect(custom.snapshot().counters.orders).toEqual([
      { tags: { region: 'eu' }, value: 2 },
      { tags: { region: 'us' }, value: 1 },
    ]);
    // the SDK keeps the attributes object of a series' first measurement and exports it
    const points = (await otel.metric('orders')).dataPoints;
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ region: 'eu' }, 2],
      [{ region: 'us' }, 1],
    ]);
  });

  it('are own properties only, as OTel reads attributes', () => {
    const custom = new CustomMetrics({ meterProvider: createTestMeterProvider().meterProvider });
    const inherited = Object.create({ route: '/inherited' }) as Record<string, string>;
    inherited.region = 'eu';
    custom.increment('orders', 1, inherited);
    custom.increment('orders', 1, { region: 'eu' });
    expect(custom.snapshot().counters.orders).toEqual([{ tags: { region: 'eu' }, value: 2 }]);
  });
});
