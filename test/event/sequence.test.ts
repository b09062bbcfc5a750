import { describe, expect, it } from 'vitest';
import {
  ATTR_EVENT_SEQUENCE_OUTCOME,
  ATTR_EVENT_STREAM,
  METRIC_EVENT_SEQUENCE_ANOMALIES,
  METRIC_EVENT_SEQUENCE_GAPS,
  METRIC_EVENT_SEQUENCE_UNTRACKED,
  type SequenceOutcome,
} from '../../instrumentations/event/index.js';
import { setupEvents } from './setup.js';

describe('trackSequence', () => {
  it('classifies in-order numbers, gaps, duplicates and late numbers', async () => {
    const { events, point, metric } = setupEvents();
    const outcomes = [1, 2, 5, 5, 3, 3, 4, 6, 10, 8].map((seq) => events.trackSequence('udp', seq));
    expect(outcomes).toEqual<SequenceOutcome[]>([
      'first',
      'in_order',
      'gap',
      'duplicate',
      'out_of_order',
      'duplicate',
      'out_of_order',
      'in_order',
      'gap',
      'out_of_order',
    ]);
    const gaps = await point(METRIC_EVENT_SEQUENCE_GAPS, { [ATTR_EVENT_STREAM]: 'udp' });
    expect(gaps.value).toBe(2 + 3);
    const anomaly = (outcome: string) =>
      point(METRIC_EVENT_SEQUENCE_ANOMALIES, { [ATTR_EVENT_SEQUENCE_OUTCOME]: outcome });
    expect((await anomaly('gap')).value).toBe(2);
    expect((await anomaly('duplicate')).value).toBe(2);
    expect((await anomaly('out_of_order')).value).toBe(3);
    const anomalies = await metric(METRIC_EVENT_SEQUENCE_ANOMALIES);
    expect(anomalies.descriptor.unit).toBe('{event}');
    expect(anomalies.dataPoints.every((p) => p.attributes[ATTR_EVENT_STREAM] === 'udp')).toBe(true);
  });

  it('keeps streams apart', async () => {
    const { events, point } = setupEvents();
    events.trackSequence('a', 1);
    events.trackSequence('b', 100);
    expect(events.trackSequence('a', 2)).toBe('in_order');
    expect(events.trackSequence('b', 103)).toBe('gap');
    expect((await point(METRIC_EVENT_SEQUENCE_GAPS, { [ATTR_EVENT_STREAM]: 'b' })).value).toBe(2);
  });

  it('recognises duplicates up to 31 behind the highest number, even across a gap', () => {
    const { events } = setupEvents();
    for (let seq = 0; seq <= 40; seq++) events.trackSequence('s', seq);
    expect(events.trackSequence('s', 9)).toBe('duplicate');
    expect(events.trackSequence('s', 45)).toBe('gap');
    expect(events.trackSequence('s', 43)).toBe('out_of_order');
    expect(events.trackSequence('s', 43)).toBe('duplicate');
    expect(events.trackSequence('s', 14)).toBe('duplicate');
  });

  it('treats a number far behind or far ahead as a reset, not as loss', async () => {
    const { events, point, metrics } = setupEvents({ maxSequenceGap: 1000 });
    events.trackSequence('s', 65_535);
    expect(events.trackSequence('s', 0)).toBe('reset');
    expect(events.trackSequence('s', 1)).toBe('in_order');
    expect(events.trackSequence('s', 5_000)).toBe('reset');
    expect(events.trackSequence('s', 5_001)).toBe('in_order');
    expect(
      (await point(METRIC_EVENT_SEQUENCE_ANOMALIES, { [ATTR_EVENT_SEQUENCE_OUTCOME]: 'reset' }))
        .value,
    ).toBe(2);
    expect((await metrics()).get(METRIC_EVENT_SEQUENCE_GAPS)).toBeUndefined();
  });

  it('caps the tracked streams: excess streams are counted, not stored', async () => {
    const { events, point, metric } = setupEvents({ maxStreams: 2 });
    expect(events.trackSequence('a', 1)).toBe('first');
    expect(events.trackSequence('b', 1)).toBe('first');
    expect(events.trackSequence('c', 1)).toBe('untracked');
    expect(events.trackSequence('c', 5)).toBe('untracked');
    expect(events.trackSequence('a', 2)).toBe('in_order');
    const untracked = await point(METRIC_EVENT_SEQUENCE_UNTRACKED);
    expect(untracked.value).toBe(2);
    expect(untracked.attributes).toEqual({});
    expect((await metric(METRIC_EVENT_SEQUENCE_UNTRACKED)).descriptor.unit).toBe('{event}');
    expect(events.forgetStream('a')).toBe(true);
    expect(events.forgetStream('a')).toBe(false);
    expect(events.trackSequence('c', 6)).toBe('first');
    expect(events.trackSequence('a', 3)).toBe('untracked');
  });

  it('never throws on bad sequence numbers or stream names, and counts each', async () => {
    const { events, adjusted, point } = setupEvents();
    const bad: unknown[] = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', undefined, 2 ** 60];
    for (const seq of bad) expect(events.trackSequence('s', seq as number)).toBe('untracked');
    expect(await adjusted('event.sequence', 'negative')).toBe(1);
    expect(await adjusted('event.sequence', 'not_finite')).toBe(2);
    expect(await adjusted('event.sequence', 'not_an_integer')).toBe(4);
    expect(events.trackSequence(7 as unknown as string, 1)).toBe('first');
    expect(events.trackSequence(7 as unknown as string, 3)).toBe('gap');
    expect(await adjusted('event.stream', 'not_a_string')).toBe(2);
    expect((await point(METRIC_EVENT_SEQUENCE_GAPS, { [ATTR_EVENT_STREAM]: '7' })).value).toBe(1);
    const huge = 'x'.repeat(10_000);
    events.trackSequence(huge, 1);
    expect(events.trackSequence(huge, 2)).toBe('in_order');
    expect(await adjusted('event.stream', 'truncated')).toBe(2);
  });
});
