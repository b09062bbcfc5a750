import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_EVENT_TYPE,
  EVENT_TYPE_VALUE_OTHER,
  METRIC_EVENT_ERRORS,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_EVENT_RECEIVED,
} from '../../instrumentations/event/index.js';
import { MAX_ATTRIBUTE_VALUE_LENGTH } from '../../src/core/input-guard.js';
import { setupEvents } from './setup.js';

describe('event type cardinality and bad input', () => {
  it('records types past maxEventTypes as _OTHER and counts every folded event', async () => {
    const { events, metric, adjusted, point } = setupEvents({ maxEventTypes: 3 });
    for (const type of ['a', 'b', 'c', 'd', 'e', 'd', 'a']) events.received(type);
    const received = await metric(METRIC_EVENT_RECEIVED);
    const byType = Object.fromEntries(
      received.dataPoints.map((p) => [p.attributes[ATTR_EVENT_TYPE], p.value]),
    );
    expect(byType).toEqual({ a: 2, b: 1, c: 1, [EVENT_TYPE_VALUE_OTHER]: 3 });
    expect(await adjusted(ATTR_EVENT_TYPE, 'cardinality_limit')).toBe(3);
    events.run('zzz', () => undefined);
    const other = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION, {
      [ATTR_EVENT_TYPE]: EVENT_TYPE_VALUE_OTHER,
    });
    expect(other.value.count).toBe(1);
  });

  it('caps distinct error types per event type', async () => {
    const { events, metric, adjusted } = setupEvents({ maxErrorTypes: 2 });
    for (const code of ['E1', 'E2', 'E3', 'E4', 'E1']) {
      events.start('t').fail(Object.assign(new Error(code), { code }));
    }
    const errors = await metric(METRIC_EVENT_ERRORS);
    const byError = Object.fromEntries(
      errors.dataPoints.map((p) => [p.attributes[ATTR_ERROR_TYPE], p.value]),
    );
    expect(byError).toEqual({ E1: 2, E2: 1, _OTHER: 2 });
    expect(await adjusted(ATTR_ERROR_TYPE, 'cardinality_limit')).toBe(2);
  });

  it('stringifies a non-string type and counts it on every call', async () => {
    const { events, point, adjusted } = setupEvents();
    const type = 42 as unknown as string;
    events.received(type);
    expect(events.run(type, () => 'ok')).toBe('ok');
    expect((await point(METRIC_EVENT_RECEIVED, { [ATTR_EVENT_TYPE]: '42' })).value).toBe(1);
    expect(await adjusted(ATTR_EVENT_TYPE, 'not_a_string')).toBe(2);
    expect(() => events.received(undefined as unknown as string)).not.toThrow();
    expect(() => events.start(Symbol('s') as unknown as string).end()).not.toThrow();
    expect((await point(METRIC_EVENT_RECEIVED, { [ATTR_EVENT_TYPE]: 'undefined' })).value).toBe(1);
  });

  it('truncates a huge type to the attribute limit, sharing one series', async () => {
    const { events, metric, adjusted } = setupEvents({ maxEventTypes: 5 });
    const huge = 'y'.repeat(1_000_000);
    for (let i = 0; i < 3; i++) events.received(huge);
    const received = await metric(METRIC_EVENT_RECEIVED);
    expect(received.dataPoints).toHaveLength(1);
    const type = received.dataPoints[0]?.attributes[ATTR_EVENT_TYPE] as string;
    expect(type).toBe('y'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH));
    expect(received.dataPoints[0]?.value).toBe(3);
    expect(await adjusted(ATTR_EVENT_TYPE, 'truncated')).toBe(3);
  });

  it('classifies a thrown non-Error as _OTHER and rethrows it unchanged', async () => {
    const { events, point } = setupEvents();
    let caught: unknown;
    try {
      events.run('t', () => {
        throw 'plain string';
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe('plain string');
    await expect(events.run('t', () => Promise.reject(null))).rejects.toBeNull();
    events.failed('t', 17);
    const failures = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION, {
      [ATTR_ERROR_TYPE]: '_OTHER',
    });
    expect(failures.value.count).toBe(2);
    expect((await point(METRIC_EVENT_ERRORS, { [ATTR_ERROR_TYPE]: '_OTHER' })).value).toBe(3);
  });

  it('ignores and counts a second end of the same handle', async () => {
    const { events, point, adjusted } = setupEvents();
    const handle = events.start('twice');
    handle.end();
    expect(() => handle.fail(new Error('late'))).not.toThrow();
    const p = await point<Histogram>(METRIC_EVENT_PROCESSING_DURATION);
    expect(p.value.count).toBe(1);
    expect(await adjusted('end', 'already_ended')).toBe(1);
  });
});
