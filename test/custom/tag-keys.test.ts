import { describe, expect, it } from 'vitest';
import {
  ADJUSTMENT_RESERVED_TAG,
  ATTR_OPMETER_OVERFLOW,
  CustomMetrics,
  MAX_TAGS,
} from '../../instrumentations/custom/index.js';
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

  it('keep a tag named __proto__ as a tag like any other', async () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    custom.increment('c', 1, JSON.parse('{"__proto__":"a"}'));
    custom.increment('c', 2, JSON.parse('{"__proto__":"b"}'));
    const points = (await otel.metric('c')).dataPoints;
    expect(points.map((p) => [Object.entries(p.attributes), p.value])).toEqual([
      [[['__proto__', 'a']], 1],
      [[['__proto__', 'b']], 2],
    ]);
    expect(custom.snapshot().counters.c?.map((s) => Object.entries(s.tags))).toEqual([
      [['__proto__', 'a']],
      [['__proto__', 'b']],
    ]);
  });

  it('past MAX_TAGS, keep the first tags by name, whatever order they come in', async () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    const names = Array.from({ length: MAX_TAGS + 6 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    custom.increment('c', 1, Object.fromEntries(names.map((n) => [n, 'v'])));
    custom.increment('c', 1, Object.fromEntries([...names].reverse().map((n) => [n, 'v'])));
    const series = custom.snapshot().counters.c ?? [];
    expect(series).toHaveLength(1);
    expect(Object.keys(series[0]?.tags ?? {}).sort()).toEqual(names.slice(0, MAX_TAGS));
    expect(series[0]?.value).toBe(2);
    expect((await otel.metric('c')).dataPoints).toHaveLength(1);
    const adjusted = await otel.point('opmeter.input.adjusted', {
      'opmeter.field': 'tags',
      'opmeter.reason': 'too_many_tags',
    });
    expect(adjusted.value).toBe(2);
  });

  it('drop a tag named opmeter.overflow, which marks the series past the bound, and count it', async () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider, maxSeriesPerMetric: 1 });
    custom.increment('c', 1, { [ATTR_OPMETER_OVERFLOW]: true, region: 'eu' });
    custom.increment('c', 10, { region: 'us' });
    const points = (await otel.metric('c')).dataPoints;
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ region: 'eu' }, 1],
      [{ [ATTR_OPMETER_OVERFLOW]: true }, 10],
    ]);
    expect(custom.snapshot().counters.c).toEqual([
      { tags: { region: 'eu' }, value: 1 },
      { tags: { [ATTR_OPMETER_OVERFLOW]: true }, value: 10 },
    ]);
    const adjusted = await otel.point('opmeter.input.adjusted', {
      'opmeter.field': ATTR_OPMETER_OVERFLOW,
      'opmeter.reason': ADJUSTMENT_RESERVED_TAG,
    });
    expect(adjusted.value).toBe(1);
  });

  it('do not count a dropped opmeter.overflow tag against MAX_TAGS', () => {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    const names = Array.from({ length: MAX_TAGS }, (_, i) => `z${String(i).padStart(2, '0')}`);
    const tags = Object.fromEntries(names.map((n) => [n, 'v']));
    custom.increment('c', 1, { ...tags, [ATTR_OPMETER_OVERFLOW]: true });
    expect(Object.keys(custom.snapshot().counters.c?.[0]?.tags ?? {})).toHaveLength(MAX_TAGS);
  });
});
