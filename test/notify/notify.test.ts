import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_NOTIFY_CHANNEL,
  ATTR_NOTIFY_CODE,
  ATTR_NOTIFY_DELIVERY_OUTCOME,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  channelOf,
  METRIC_NOTIFY_DELIVERIES,
  METRIC_NOTIFY_DURATION,
  METRIC_NOTIFY_QUEUE_DEPTH,
  METRIC_NOTIFY_RECIPIENTS,
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_TABLE,
  NotifyInstrumentation,
} from '../../instrumentations/notify/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { createTestTargets } from '../support/test-targets.js';

function setup() {
  const targets = createTestTargets();
  return { ...targets, notify: new NotifyInstrumentation(targets.options) };
}

afterEach(() => setRecordingEnabled(true));

describe('NotifyInstrumentation', () => {
  it('creates instruments with units, descriptions and the default buckets', async () => {
    const { notify, metric } = setup();
    notify.start('N', { channel: 'email', recipients: 1, queueDepth: 3 }).delivered().end();
    const duration = await metric(METRIC_NOTIFY_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/notification/i);
    const point = duration.dataPoints[0]?.value as Histogram;
    expect(point.buckets.boundaries).toEqual(NOTIFY_DURATION_BUCKETS);
    for (const name of [
      METRIC_NOTIFY_RECIPIENTS,
      METRIC_NOTIFY_DELIVERIES,
      METRIC_NOTIFY_QUEUE_DEPTH,
    ]) {
      const m = await metric(name);
      expect(m.descriptor.unit).toMatch(/^\{.+\}$/);
      expect(m.descriptor.description.length).toBeGreaterThan(5);
    }
  });

  it('maps channels case-insensitively and everything else to other', () => {
    expect(['EMAIL', 'Sms', ' push ', 'webhook'].map(channelOf)).toEqual([
      'email',
      'sms',
      'push',
      'webhook',
    ]);
    expect([undefined, 'fax', 42, ''].map(channelOf)).toEqual(['other', 'other', 'other', 'other']);
  });

  it('records a send with recipients, deliveries, queue depth, a row and session stats', async () => {
    const { notify, point, rows, stats } = setup();
    const result = await notify.run(
      'WELCOME',
      async (send) => {
        send.delivered(3);
        send.queueDepth(17);
        return 'sent';
      },
      { channel: 'EMAIL', package: 'crm', recipients: 3 },
    );
    expect(result).toBe('sent');
    const base = {
      [ATTR_NOTIFY_CODE]: 'WELCOME',
      [ATTR_PACKAGE]: 'crm',
      [ATTR_NOTIFY_CHANNEL]: 'email',
    };
    const duration = await point<Histogram>(METRIC_NOTIFY_DURATION, {
      ...base,
      [ATTR_OUTCOME]: 'success',
    });
    expect(duration.value.count).toBe(1);
    expect(
      (await point<Histogram>(METRIC_NOTIFY_DURATION, { ...base, [ATTR_OUTCOME]: 'success' })).value
        .count,
    ).toBe(1);
    expect((await point(METRIC_NOTIFY_RECIPIENTS, base)).value).toBe(3);
    expect(
      (
        await point(METRIC_NOTIFY_DELIVERIES, {
          ...base,
          [ATTR_NOTIFY_DELIVERY_OUTCOME]: 'delivered',
        })
      ).value,
    ).toBe(3);
    const queue = await point(METRIC_NOTIFY_QUEUE_DEPTH, {
      [ATTR_PACKAGE]: 'crm',
      [ATTR_NOTIFY_CHANNEL]: 'email',
    });
    expect(queue.value).toBe(17);
    expect(queue.attributes[ATTR_NOTIFY_CODE]).toBeUndefined();
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.table).toBe(NOTIFY_TABLE);
    expect(rows.rows[0]?.row).toEqual({
      NotifyCode: 'WELCOME',
      Package: 'crm',
      Channel: 'EMAIL',
      RecipientCount: 3,
      DeliveredCount: 3,
      FailedCount: 0,
      ElapsedSeconds: expect.any(Number),
      QueueDepth: 17,
      OperationSuccess: true,
      ErrorMessage: null,
    });
    expect(stats.snapshot().operations[0]).toMatchObject({
      domain: 'notify',
      operation: 'WELCOME',
      operations: 1,
      items: 3,
      errors: 0,
    });
  });

  it('labels a send with failed recipients partial, and derives the recipient count', async () => {
    const { notify, point, rows } = setup();
    notify.start('DIGEST', { channel: 'sms' }).delivered(4).failed(2).end();
    const attrs = { [ATTR_NOTIFY_CODE]: 'DIGEST', [ATTR_NOTIFY_CHANNEL]: 'sms' };
    expect(
      (await point<Histogram>(METRIC_NOTIFY_DURATION, { ...attrs, [ATTR_OUTCOME]: 'partial' }))
        .value.count,
    ).toBe(1);
    expect(
      (
        await point(METRIC_NOTIFY_DELIVERIES, {
          ...attrs,
          [ATTR_NOTIFY_DELIVERY_OUTCOME]: 'failed',
        })
      ).value,
    ).toBe(2);
    expect((await point(METRIC_NOTIFY_RECIPIENTS, attrs)).value).toBe(6);
    expect(rows.rows[0]?.row).toMatchObject({
      Channel: 'SMS',
      RecipientCount: 6,
      DeliveredCount: 4,
      FailedCount: 2,
      QueueDepth: null,
      OperationSuccess: true,
    });
  });

  it('records a failed send with error.type from the code, rethrowing the original error', async () => {
    const { notify, point, rows } = setup();
    const error = Object.assign(new Error('smtp refused'), { code: 'ECONNREFUSED' });
    await expect(
      notify.run(
        'ALERT',
        async () => {
          throw error;
        },
        { channel: 'carrier-pigeon', recipients: 2 },
      ),
    ).rejects.toBe(error);
    const failed = await point<Histogram>(METRIC_NOTIFY_DURATION, {
      [ATTR_OUTCOME]: 'failure',
      [ATTR_ERROR_TYPE]: 'ECONNREFUSED',
      [ATTR_NOTIFY_CHANNEL]: 'other',
      [ATTR_PACKAGE]: 'default',
    });
    expect(failed.value.count).toBe(1);
    expect(rows.rows[0]?.row).toMatchObject({
      Channel: 'OTHER',
      RecipientCount: 2,
      OperationSuccess: false,
      ErrorMessage: 'smtp refused',
    });
  });

  it('measures explicit handles, wrap and the decorator the same way', async () => {
    const { notify, point, rows } = setup();
    notify.start('SAME', { channel: 'push' }).delivered().end();
    const wrapped = notify.wrap('SAME', (to: string[]) => to.length, {
      channel: 'push',
      itemsOf: (n) => n,
    });
    expect(wrapped(['a', 'b'])).toBe(2);
    class Hooks {
      url = 'https://example.test/hook';
      @notify.measure('SAME', { channel: 'push', itemsOf: () => 1 })
      post(body: string) {
        return `${this.url} ${body}`;
      }
    }
    expect(new Hooks().post('x')).toBe('https://example.test/hook x');
    const sends = await point<Histogram>(METRIC_NOTIFY_DURATION, {
      [ATTR_NOTIFY_CODE]: 'SAME',
      [ATTR_OUTCOME]: 'success',
    });
    expect(sends.value.count).toBe(3);
    expect(rows.rows.map((r) => r.row.DeliveredCount)).toEqual([1, 2, 1]);
  });

  it('records a standalone queue depth reading per channel and package', async () => {
    const { notify, point } = setup();
    notify.recordQueueDepth(40, { channel: 'webhook', package: 'ops' });
    notify.recordQueueDepth(12, { channel: 'webhook', package: 'ops' });
    const queue = await point(METRIC_NOTIFY_QUEUE_DEPTH, {
      [ATTR_NOTIFY_CHANNEL]: 'webhook',
      [ATTR_PACKAGE]: 'ops',
    });
    expect(queue.value).toBe(12);
  });

  it('turns bad counts into zeros counted on opmeter.input.adjusted, never throwing', async () => {
    const { notify, point, rows } = setup();
    notify
      .start('BAD', { recipients: Number.NaN, queueDepth: -5 })
      .delivered(Number.POSITIVE_INFINITY)
      .failed(-1)
      .end();
    expect(rows.rows[0]?.row).toMatchObject({
      RecipientCount: 0,
      DeliveredCount: 0,
      FailedCount: 0,
      QueueDepth: 0,
    });
    const adjusted = await point('opmeter.input.adjusted', {
      'opmeter.domain': 'notify',
      'opmeter.field': 'recipients',
      'opmeter.reason': 'not_finite',
    });
    expect(adjusted.value).toBe(1);
    expect(
      (await point('opmeter.input.adjusted', { 'opmeter.field': 'queue_depth' })).attributes[
        'opmeter.reason'
      ],
    ).toBe('negative');
  });

  it('honours SLO thresholds as bucket edges and rejects bad buckets at construction', async () => {
    const otel = createTestMeterProvider();
    const notify = new NotifyInstrumentation({ meterProvider: otel.meterProvider, slo: [0.3] });
    notify.start('S').end();
    const p = await otel.point<Histogram>(METRIC_NOTIFY_DURATION);
    expect(p.value.buckets.boundaries).toContain(0.3);
    expect(() => new NotifyInstrumentation({ buckets: [2, 1] })).toThrow(/sorted ascending/);
  });

  it('records nothing while recording is switched off', async () => {
    const { notify, metrics, rows } = setup();
    setRecordingEnabled(false);
    await notify.run('OFF', async (send) => send.queueDepth(3), { queueDepth: 4 });
    notify.recordQueueDepth(9);
    setRecordingEnabled(true);
    const collected = await metrics();
    expect(collected.get(METRIC_NOTIFY_DURATION)).toBeUndefined();
    expect(collected.get(METRIC_NOTIFY_QUEUE_DEPTH)).toBeUndefined();
    expect(rows.rows).toHaveLength(0);
  });

  it('treats null options like none, for plain-JS callers', async () => {
    const { notify, point, rows } = setup();
    notify.start('NULL_OPTS', null as never).end();
    expect(notify.run('NULL_OPTS', () => 1, null as never)).toBe(1);
    expect(notify.wrap('NULL_OPTS', (n: number) => n + 1, null as never)(1)).toBe(2);
    class Mailer {
      @notify.measure('NULL_OPTS', null as never)
      send() {
        return 1;
      }
    }
    expect(new Mailer().send()).toBe(1);
    notify.recordQueueDepth(7, null as never);
    const sends = await point<Histogram>(METRIC_NOTIFY_DURATION, {
      [ATTR_NOTIFY_CODE]: 'NULL_OPTS',
      [ATTR_PACKAGE]: 'default',
      [ATTR_OUTCOME]: 'success',
    });
    expect(sends.value.count).toBe(4);
    expect(rows.rows).toHaveLength(4);
    expect((await point(METRIC_NOTIFY_QUEUE_DEPTH, { [ATTR_PACKAGE]: 'default' })).value).toBe(7);
  });
});
