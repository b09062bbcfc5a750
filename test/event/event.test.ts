import { performance } from 'node:perf_hooks';
import { DataPointType, type Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as semconv from '../../instrumentations/event/index.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_EVENT_TYPE,
  ATTR_OUTCOME,
  EVENT_DURATION_BUCKETS,
  EventInstrumentation,
  METRIC_EVENT_ERRORS,
  METRIC_EVENT_IGNORED,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_EVENT_RECEIVED,
  METRIC_EVENT_UNHANDLED,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_SUCCESS,
} from '../../instrumentations/event/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { setupEvents } from './setup.js';

const COUNTERS = [
  METRIC_EVENT_RECEIVED,
  METRIC_EVENT_IGNORED,
  METRIC_EVENT_UNHANDLED,
  METRIC_EVENT_ERRORS,
];

afterEach(() => {
  setRecordingEnabled(true);
  vi.restoreAllMocks();
});

/** Makes the monotonic clock read `startMs`, then `endMs` (performance.now() is in ms). */
function clockReads(startMs: number, endMs: number): void {
  vi.spyOn(performance, 'now').mockReturnValueOnce(startMs).mockReturnValueOnce(endMs);
}

describe('EventInstrumentation instruments', () => {
  it('creates the latency histogram with unit s, a description and the event buckets', async () => {
    const { events, metric } = setupEvents();
    events.start('order.created').end();
    const duration = await metric(METRIC_EVENT_PROCESSING_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/event/i);
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = duration.dataPoints[0]?.value as Histogram;
    expect(point.buckets.boundaries).toEqual(EVENT_DURATION_BUCKETS);
  });

  it('creates monotonic {event} counters with descriptions', async () => {
    const { events, metrics } = setupEvents();
    events.received('t');
    events.ignored('t');
    events.unhandled('t');
    events.start('t').end();
    events.start('t').fail(new TypeError('bad'));
    const all = await metrics();
    for (const name of COUNTERS) {
      const m = all.get(name);
      expect(m, name).toBeDefined();
      expect(m?.descriptor.unit).toBe('{event}');
      expect(m?.descriptor.description.length).toBeGreaterThan(10);
      expect(m?.dataPointType).toBe(DataPointType.SUM);
      expect(m?.dataPointType === DataPointType.SUM && m.isMonotonic).toBe(true);
    }
  });

  it('gives every exported metric its unit, a description and its data point type', async () => {
    const { events, metrics } = setupEvents({ maxStreams: 1 });
    events.received('t');
    events.ignored('t');
    events.unhandled('t');
    events.run('t', () => 1);
    events.failed('t', new Error('x'));
    events.observeQueueDepth(() => 1);
    events.observeConnections(() => 1);
    for (const seq of [1, 3, 3]) events.trackSequence('s', seq);
    events.trackSequence('other', 1);
    const expected: Record<string, [unit: string, type: DataPointType]> = {
      [semconv.METRIC_EVENT_PROCESSING_DURATION]: ['s', DataPointType.HISTOGRAM],
      [semconv.METRIC_EVENT_RECEIVED]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_IGNORED]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_UNHANDLED]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_ERRORS]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_QUEUE_DEPTH]: ['{event}', DataPointType.GAUGE],
      [semconv.METRIC_EVENT_CONNECTIONS]: ['{connection}', DataPointType.GAUGE],
      [semconv.METRIC_EVENT_SEQUENCE_GAPS]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_SEQUENCE_ANOMALIES]: ['{event}', DataPointType.SUM],
      [semconv.METRIC_EVENT_SEQUENCE_UNTRACKED]: ['{event}', DataPointType.SUM],
    };
    const exported = Object.entries(semconv)
      .filter(([key]) => key.startsWith('METRIC_'))
      .map(([, name]) => name);
    expect(exported.sort()).toEqual(Object.keys(expected).sort());
    const all = await metrics();
    for (const [name, [unit, type]] of Object.entries(expected)) {
      const m = all.get(name);
      expect(m, name).toBeDefined();
      expect(m?.descriptor.unit, name).toBe(unit);
      expect(m?.descriptor.description.length, name).toBeGreaterThan(10);
      expect(m?.dataPointType, name).toBe(type);
    }
  });

  it('honours SLO thresholds and custom buckets, and rejects bad configuration', async () => {
    const { events, point } = setupEvents({ buckets: [0.001, 0.01], slo: [0.005] });
    events.start('t').end();
    const p = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION);
    expect(p.value.buckets.boundaries).toEqual([0.001, 0.005, 0.01]);
    expect(() => new EventInstrumentation({ buckets: [0.01, 0.001] })).toThrow(/sorted ascending/);
    expect(() => new EventInstrumentation({ maxEventTypes: 0 })).toThrow(
      /maxEventTypes must be a positive integer/,
    );
    expect(() => new EventInstrumentation({ maxStreams: 1.5 })).toThrow(/maxStreams/);
  });
});

describe('EventInstrumentation recording', () => {
  it('records the latency of a successful event under event.type and outcome', async () => {
    const { events, point, metrics } = setupEvents();
    clockReads(1000, 1002.7);
    events.start('/live/track/renamed').end();
    const p = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION);
    expect(p.attributes).toEqual({
      [ATTR_EVENT_TYPE]: '/live/track/renamed',
      [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS,
    });
    expect(p.value.count).toBe(1);
    expect(p.value.sum).toBeCloseTo(0.0027, 9);
    const bucket = p.value.buckets.boundaries.findIndex((edge) => edge >= 0.0027);
    expect(bucket).toBeGreaterThan(0);
    expect(p.value.buckets.counts[bucket]).toBe(1);
    expect(p.value.buckets.counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await metrics()).get(METRIC_EVENT_ERRORS)).toBeUndefined();
  });

  it('records a failure with error.type from the code and rethrows the original error', async () => {
    const { events, point, metrics } = setupEvents();
    const error = Object.assign(new Error('socket closed'), { code: 'ECONNRESET' });
    await expect(
      events.run('push', async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const p = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION);
    expect(p.attributes).toEqual({
      [ATTR_EVENT_TYPE]: 'push',
      [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE,
      [ATTR_ERROR_TYPE]: 'ECONNRESET',
    });
    const errors = await point(METRIC_EVENT_ERRORS);
    expect(errors.attributes).toEqual({
      [ATTR_EVENT_TYPE]: 'push',
      [ATTR_ERROR_TYPE]: 'ECONNRESET',
    });
    expect(errors.value).toBe(1);
    const durations = (await metrics()).get(METRIC_EVENT_PROCESSING_DURATION)?.dataPoints ?? [];
    expect(durations.filter((d) => d.attributes[ATTR_OUTCOME] === OUTCOME_VALUE_SUCCESS)).toEqual(
      [],
    );
  });

  it('records an async handler only once its promise settles', async () => {
    const { events, metrics, point } = setupEvents();
    let finish: (value: string) => void = () => {};
    const pending = events.run('async', () => new Promise<string>((resolve) => (finish = resolve)));
    expect((await metrics()).get(METRIC_EVENT_PROCESSING_DURATION)).toBeUndefined();
    finish('done');
    expect(await pending).toBe('done');
    const done = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION, {
      [ATTR_EVENT_TYPE]: 'async',
    });
    expect(done.value.count).toBe(1);
  });

  it('counts received, ignored, unhandled and failed-outside-a-handler events by type', async () => {
    const { events, point } = setupEvents();
    for (const type of ['a', 'a', 'b']) events.received(type);
    events.ignored('a');
    events.unhandled('b');
    events.unhandled('b');
    events.failed('a', new SyntaxError('bad JSON'));
    expect((await point(METRIC_EVENT_RECEIVED, { [ATTR_EVENT_TYPE]: 'a' })).value).toBe(2);
    expect((await point(METRIC_EVENT_RECEIVED, { [ATTR_EVENT_TYPE]: 'b' })).value).toBe(1);
    expect((await point(METRIC_EVENT_IGNORED, { [ATTR_EVENT_TYPE]: 'a' })).value).toBe(1);
    expect((await point(METRIC_EVENT_UNHANDLED, { [ATTR_EVENT_TYPE]: 'b' })).value).toBe(2);
    const failed = await point(METRIC_EVENT_ERRORS, { [ATTR_EVENT_TYPE]: 'a' });
    expect(failed.attributes[ATTR_ERROR_TYPE]).toBe('SyntaxError');
    expect(failed.value).toBe(1);
  });

  it('feeds the session statistics with one operation per handled event', async () => {
    const { events, stats } = setupEvents();
    events.run('tick', () => 1);
    events.start('tick').fail(new Error('x'));
    events.received('tick');
    expect(stats.snapshot().operations).toEqual([
      expect.objectContaining({ domain: 'event', operation: 'tick', operations: 2, errors: 1 }),
    ]);
  });

  it('measures explicit handles, run, wrap and the decorator identically', async () => {
    const { events, point } = setupEvents();
    const handle = events.start('SAME');
    handle.end();
    expect(events.run('SAME', (event) => (event.isEnded ? -1 : 7))).toBe(7);
    const wrapped = events.wrap('SAME', function (this: { k: number }, n: number) {
      return n * this.k;
    });
    expect(wrapped.call({ k: 2 }, 21)).toBe(42);
    class Handlers {
      factor = 3;
      @events.measure('SAME')
      scale(n: number) {
        return n * this.factor;
      }
      @events.measure('SAME')
      async reject(): Promise<never> {
        throw new RangeError('late');
      }
      @events.measure('SAME')
      explode(): never {
        throw new RangeError('now');
      }
    }
    const handlers = new Handlers();
    expect(handlers.scale(5)).toBe(15);
    await expect(handlers.reject()).rejects.toThrow('late');
    expect(() => handlers.explode()).toThrow('now');
    const failingWrap = events.wrap('SAME', () => {
      throw new RangeError('wrapped');
    });
    expect(() => failingWrap()).toThrow('wrapped');
    expect(() =>
      events.run('SAME', () => {
        throw new RangeError('run');
      }),
    ).toThrow('run');
    const failingHandle = events.start('SAME');
    failingHandle.fail(new RangeError('handle'));
    const success = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION, {
      [ATTR_EVENT_TYPE]: 'SAME',
      [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS,
    });
    expect(success.value.count).toBe(4);
    const failure = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION, {
      [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE,
    });
    expect(failure.attributes[ATTR_ERROR_TYPE]).toBe('RangeError');
    expect(failure.value.count).toBe(5);
    expect((await point(METRIC_EVENT_ERRORS, { [ATTR_ERROR_TYPE]: 'RangeError' })).value).toBe(5);
  });

  it('throws at class definition when @measure decorates a getter, field or class', () => {
    const { events } = setupEvents();
    const loose = events.measure('X') as unknown as (value: unknown, context: unknown) => void;
    expect(() => {
      class WithGetter {
        @loose
        get value() {
          return 1;
        }
      }
      return WithGetter;
    }).toThrow(/can only decorate a class method, not a getter/);
    expect(() => {
      class WithField {
        @loose
        value = 1;
      }
      return WithField;
    }).toThrow(/not a field/);
    expect(() => {
      @loose
      class Whole {}
      return Whole;
    }).toThrow(/not a class/);
  });

  it('records nothing at all while recording is switched off', async () => {
    const { events, metrics, stats } = setupEvents();
    const wrapped = events.wrap('OFF', () => 1);
    class Handlers {
      @events.measure('OFF')
      handle() {
        return 2;
      }
    }
    events.observeQueueDepth(() => 5);
    setRecordingEnabled(false);
    expect(events.run('OFF', () => 3)).toBe(3);
    expect(wrapped()).toBe(1);
    expect(new Handlers().handle()).toBe(2);
    events.start('OFF').end();
    events.start('OFF').fail(new Error('x'));
    events.received('OFF');
    events.ignored('OFF');
    events.unhandled('OFF');
    events.failed('OFF', new Error('y'));
    expect(events.trackSequence('s', 1)).toBe('untracked');
    expect(events.trackSequence('s', 9)).toBe('untracked');
    const names = [...(await metrics()).keys()];
    setRecordingEnabled(true);
    expect(names).toEqual([]);
    expect(stats.snapshot().operations).toEqual([]);
  });
});
