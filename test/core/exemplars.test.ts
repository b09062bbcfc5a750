import {
  type Attributes,
  type Context,
  context,
  createNoopMeter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { withExemplars } from '../../src/core/exemplars/exemplar-meter.js';
import { ExemplarReservoir, MAX_EXEMPLAR_KEY_LENGTH } from '../../src/core/exemplars/reservoir.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

function inSpan(flags: number, spanId = SPAN): Context {
  return trace.setSpan(
    context.active(),
    trace.wrapSpanContext({ traceId: TRACE, spanId, traceFlags: flags }),
  );
}

function setup(maxSeries?: number) {
  const reservoir = new ExemplarReservoir(maxSeries);
  const meter = withExemplars(createNoopMeter(), reservoir);
  const histogram = meter.createHistogram('work.duration', {
    advice: { explicitBucketBoundaries: [0.1, 1, 10] },
  });
  const counter = meter.createCounter('work.done');
  return { reservoir, histogram, counter };
}

describe('exemplars', () => {
  it('keeps the newest sampled measurement per series and bucket', () => {
    const { reservoir, histogram } = setup();
    histogram.record(0.5, { kind: 'a' }, inSpan(TraceFlags.SAMPLED, '0000000000000001'));
    histogram.record(0.7, { kind: 'a' }, inSpan(TraceFlags.SAMPLED, '0000000000000002'));
    histogram.record(20, { kind: 'a' }, inSpan(TraceFlags.SAMPLED, '0000000000000003'));
    const bounds = [0.1, 1, 10];

    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 1, bounds)).toMatchObject({
      traceId: TRACE,
      spanId: '0000000000000002',
      value: 0.7,
      timestampMs: expect.any(Number),
    });
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 3, bounds)?.value).toBe(20);
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 0, bounds)).toBeUndefined();
    expect(reservoir.exemplar('work.duration', { kind: 'b' }, 1, bounds)).toBeUndefined();
  });

  it('puts a value equal to a boundary in that boundary bucket, as explicit buckets do', () => {
    const { reservoir, histogram } = setup();
    histogram.record(1, {}, inSpan(TraceFlags.SAMPLED));
    expect(reservoir.exemplar('work.duration', {}, 1, [0.1, 1, 10])?.value).toBe(1);
  });

  it('matches attributes whatever their key order, and gives none when the boundaries differ', () => {
    const { reservoir, histogram } = setup();
    histogram.record(0.5, { a: '1', b: '2' }, inSpan(TraceFlags.SAMPLED));
    expect(reservoir.exemplar('work.duration', { b: '2', a: '1' }, 1, [0.1, 1, 10])).toBeDefined();
    expect(reservoir.exemplar('work.duration', { a: '1', b: '2' }, 1, [0.5, 5])).toBeUndefined();
  });

  it('follows the filter: unsampled spans only under always_on, nothing under always_off', () => {
    const { reservoir, counter } = setup();
    counter.add(1, {}, inSpan(TraceFlags.NONE));
    expect(reservoir.exemplar('work.done', {}, undefined)).toBeUndefined();
    reservoir.filter = 'always_on';
    counter.add(2, {}, inSpan(TraceFlags.NONE));
    expect(reservoir.exemplar('work.done', {}, undefined)?.value).toBe(2);
    reservoir.filter = 'always_off';
    counter.add(3, {}, inSpan(TraceFlags.SAMPLED));
    expect(reservoir.exemplar('work.done', {}, undefined)?.value).toBe(2);
  });

  it('keeps nothing without a span, or with an invalid span context', () => {
    const { reservoir, counter } = setup();
    counter.add(1, {});
    counter.add(
      1,
      {},
      trace.setSpan(
        context.active(),
        trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: SPAN, traceFlags: 1 }),
      ),
    );
    expect(reservoir.exemplar('work.done', {}, undefined)).toBeUndefined();
  });

  it('keeps at most the given number of series, dropping the oldest one not sampled again', () => {
    const { reservoir, counter } = setup(2);
    const sampled = inSpan(TraceFlags.SAMPLED);
    counter.add(1, { s: '1' }, sampled);
    counter.add(1, { s: '2' }, sampled);
    counter.add(1, { s: '1' }, sampled); // s=1 is now the most recent
    counter.add(1, { s: '3' }, sampled);
    expect(reservoir.exemplar('work.done', { s: '1' }, undefined)).toBeDefined();
    expect(reservoir.exemplar('work.done', { s: '2' }, undefined)).toBeUndefined();
    expect(reservoir.exemplar('work.done', { s: '3' }, undefined)).toBeDefined();
  });

  it('keeps a series sampled again and again through a flood of series sampled once', () => {
    const { reservoir, counter } = setup(10);
    const sampled = inSpan(TraceFlags.SAMPLED);
    for (let i = 0; i < 1000; i++) {
      counter.add(1, { s: 'hot' }, sampled);
      counter.add(1, { s: `cold-${i}` }, sampled);
    }
    expect(reservoir.exemplar('work.done', { s: 'hot' }, undefined)).toBeDefined();
    expect(reservoir.exemplar('work.done', { s: 'cold-999' }, undefined)).toBeDefined();
    expect(reservoir.exemplar('work.done', { s: 'cold-0' }, undefined)).toBeUndefined();
  });

  it('still records into the wrapped meter', () => {
    const seen: number[] = [];
    const meter = createNoopMeter();
    const inner = meter.createHistogram('x');
    meter.createHistogram = () =>
      ({ record: (value: number) => void seen.push(value) }) as typeof inner;
    withExemplars(meter, new ExemplarReservoir()).createHistogram('x').record(4);
    expect(seen).toEqual([4]);
  });

  it('never throws into the caller, whatever the attributes or context', () => {
    const { reservoir, histogram, counter } = setup();
    const sampled = inSpan(TraceFlags.SAMPLED);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const hostile = [
      Object.defineProperty({}, 'a', {
        enumerable: true,
        get: () => {
          throw new Error('getter');
        },
      }),
      { a: 10n },
      proxy,
      circular,
      'not an object',
    ] as unknown as Attributes[];
    for (const attributes of hostile) {
      expect(() => histogram.record(1, attributes, sampled)).not.toThrow();
      expect(() => counter.add(1, attributes, sampled)).not.toThrow();
    }
    const throwingContext = {
      getValue: () => {
        throw new Error('context');
      },
    } as unknown as Context;
    expect(() => histogram.record(1, {}, throwingContext)).not.toThrow();
    expect(reservoir.exemplar('work.done', { a: '1' }, undefined)).toBeUndefined();
  });

  it('keeps no exemplar for what the SDK drops, nor for oversized attribute sets', () => {
    const { reservoir, histogram, counter } = setup();
    const sampled = inSpan(TraceFlags.SAMPLED);
    counter.add(-5, {}, sampled);
    histogram.record(Number.NaN, {}, sampled);
    histogram.record(Number.POSITIVE_INFINITY, {}, sampled);
    histogram.record(0.5, { big: 'x'.repeat(MAX_EXEMPLAR_KEY_LENGTH) }, sampled);
    expect(reservoir.exemplar('work.done', {}, undefined)).toBeUndefined();
    for (let bucket = 0; bucket < 4; bucket++) {
      expect(reservoir.exemplar('work.duration', {}, bucket, [0.1, 1, 10])).toBeUndefined();
    }
    expect(
      reservoir.exemplar(
        'work.duration',
        { big: 'x'.repeat(MAX_EXEMPLAR_KEY_LENGTH) },
        1,
        [0.1, 1, 10],
      ),
    ).toBeUndefined();
  });

  it('takeRecent: what was kept since the last call, newest first, bounded', () => {
    const { reservoir, histogram, counter } = setup();
    histogram.record(0.5, { kind: 'a' }, inSpan(TraceFlags.SAMPLED, '0000000000000001'));
    counter.add(3, { kind: 'b' }, inSpan(TraceFlags.SAMPLED, '0000000000000002'));
    histogram.record(20, { kind: 'a' }, inSpan(TraceFlags.SAMPLED, '0000000000000003'));
    expect(reservoir.takeRecent(2)).toEqual([
      {
        instrument: 'work.duration',
        boundaries: [0.1, 1, 10],
        attributes: { kind: 'a' },
        bucket: 3,
        exemplar: {
          traceId: TRACE,
          spanId: '0000000000000003',
          value: 20,
          timestampMs: expect.any(Number),
        },
      },
      {
        instrument: 'work.done',
        boundaries: undefined,
        attributes: { kind: 'b' },
        bucket: undefined,
        exemplar: expect.objectContaining({ spanId: '0000000000000002', value: 3 }),
      },
    ]);
    // The third (oldest) one was left out by the limit, and is not returned later either.
    expect(reservoir.takeRecent(10)).toEqual([]);
    counter.add(4, { kind: 'b' }, inSpan(TraceFlags.SAMPLED, '0000000000000004'));
    expect(reservoir.takeRecent(10).map((e) => e.exemplar.spanId)).toEqual(['0000000000000004']);
  });

  it('merge: the newest exemplar of a series and bucket wins, wherever it was recorded', () => {
    const reservoir = new ExemplarReservoir();
    const bounds = [0.1, 1, 10];
    const at = (timestampMs: number, spanId: string) => ({
      traceId: TRACE,
      spanId,
      value: 0.5,
      timestampMs,
    });
    reservoir.merge('work.duration', bounds, { kind: 'a' }, 1, at(2000, '0000000000000002'));
    reservoir.merge('work.duration', bounds, { kind: 'a' }, 1, at(1000, '0000000000000001'));
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 1, bounds)?.spanId).toBe(
      '0000000000000002',
    );
    reservoir.merge('work.duration', bounds, { kind: 'a' }, 1, at(3000, '0000000000000003'));
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 1, bounds)?.spanId).toBe(
      '0000000000000003',
    );
    // Other boundaries than the first ones, or a bucket out of range: ignored.
    reservoir.merge('work.duration', [5], { kind: 'a' }, 1, at(4000, '0000000000000004'));
    reservoir.merge('work.duration', bounds, { kind: 'a' }, 4, at(4000, '0000000000000005'));
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 1, bounds)?.spanId).toBe(
      '0000000000000003',
    );
    expect(reservoir.exemplar('work.duration', { kind: 'a' }, 3, bounds)).toBeUndefined();
    reservoir.merge('work.done', undefined, {}, undefined, at(1, '0000000000000006'));
    expect(reservoir.exemplar('work.done', {}, undefined)?.spanId).toBe('0000000000000006');
  });
});
