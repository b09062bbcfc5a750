import { DataPointType } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_EVENT_CONNECTION_KIND,
  ATTR_EVENT_QUEUE,
  METRIC_EVENT_CONNECTIONS,
  METRIC_EVENT_QUEUE_DEPTH,
} from '../../instrumentations/event/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { setupEvents } from './setup.js';

afterEach(() => setRecordingEnabled(true));

describe('event gauges', () => {
  it('observes queue depth and connections when metrics are collected', async () => {
    const { events, metric, point } = setupEvents();
    const queue: number[] = [1, 2, 3];
    const clients = new Set(['x', 'y']);
    events.observeQueueDepth(() => queue.length, 'ingest');
    events.observeConnections(() => clients.size);
    const depth = await metric(METRIC_EVENT_QUEUE_DEPTH);
    expect(depth.dataPointType).toBe(DataPointType.GAUGE);
    expect(depth.descriptor.unit).toBe('{event}');
    expect(depth.descriptor.description).toMatch(/queue/i);
    expect((await point(METRIC_EVENT_QUEUE_DEPTH, { [ATTR_EVENT_QUEUE]: 'ingest' })).value).toBe(3);
    queue.push(4, 5);
    expect((await point(METRIC_EVENT_QUEUE_DEPTH)).value).toBe(5);
    const connections = await metric(METRIC_EVENT_CONNECTIONS);
    expect(connections.dataPointType).toBe(DataPointType.GAUGE);
    expect(connections.descriptor.unit).toBe('{connection}');
    const open = await point(METRIC_EVENT_CONNECTIONS);
    expect(open.attributes).toEqual({ [ATTR_EVENT_CONNECTION_KIND]: 'websocket' });
    expect(open.value).toBe(2);
  });

  it('replaces a source registered under the same name and stops calling it on request', async () => {
    const { events, point, metrics } = setupEvents();
    const calls = { first: 0, second: 0, other: 0 };
    const stopFirst = events.observeQueueDepth(() => ++calls.first, 'q');
    events.observeQueueDepth(() => {
      calls.second++;
      return 2;
    }, 'q');
    const stopOther = events.observeQueueDepth(() => ++calls.other, 'other');
    stopFirst();
    expect((await point(METRIC_EVENT_QUEUE_DEPTH, { [ATTR_EVENT_QUEUE]: 'q' })).value).toBe(2);
    expect(calls).toEqual({ first: 0, second: 1, other: 1 });
    stopOther();
    await metrics();
    expect(calls).toEqual({ first: 0, second: 2, other: 1 });
  });

  it('skips a throwing reader and reports bad values as 0, counting both', async () => {
    const { events, point, adjusted } = setupEvents();
    events.observeQueueDepth(() => {
      throw new Error('queue gone');
    }, 'broken');
    events.observeQueueDepth(() => Number.NaN, 'nan');
    events.observeQueueDepth(() => -3, 'negative');
    events.observeQueueDepth(() => '7' as unknown as number, 'string');
    events.observeQueueDepth(() => 4, 'fine');
    const value = async (queue: string) =>
      (await point(METRIC_EVENT_QUEUE_DEPTH, { [ATTR_EVENT_QUEUE]: queue })).value;
    expect(await value('fine')).toBe(4);
    expect(await value('nan')).toBe(0);
    expect(await value('negative')).toBe(0);
    expect(await value('string')).toBe(0);
    await expect(value('broken')).rejects.toThrow(/no point/);
    expect((await point('opmeter.internal.errors')).value).toBeGreaterThanOrEqual(1);
    expect(await adjusted(METRIC_EVENT_QUEUE_DEPTH, 'negative')).toBeGreaterThanOrEqual(1);
    expect(await adjusted(METRIC_EVENT_QUEUE_DEPTH, 'not_finite')).toBeGreaterThanOrEqual(2);
  });

  it('rejects a reader that is not a function when it is registered', () => {
    const { events } = setupEvents();
    expect(() => events.observeQueueDepth(5 as unknown as () => number)).toThrow(
      new TypeError('event.observeQueueDepth("default"): read must be a function, got number'),
    );
  });

  it('observes nothing while recording is switched off', async () => {
    const { events, metrics } = setupEvents();
    events.observeQueueDepth(() => 3);
    setRecordingEnabled(false);
    const names = [...(await metrics()).keys()];
    setRecordingEnabled(true);
    expect(names).not.toContain(METRIC_EVENT_QUEUE_DEPTH);
  });
});
