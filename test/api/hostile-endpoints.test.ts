import { createServer } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  ATTR_OPMETER_ENDPOINT_CODE,
  instrumentServer,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import {
  ADJUSTMENT_UNREADABLE,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
  METRIC_OPMETER_INTERNAL_ERRORS,
} from '../../src/core/self-metrics.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { close, listen } from './support.js';

const revoked = Proxy.revocable({}, {});
revoked.revoke();
const throwing = () => {
  throw new Error('hostile');
};

/** `endpoints` options that throw when read, whole or entry by entry. */
const HOSTILE: Array<[string, object]> = [
  [
    'an entry getter that throws',
    Object.defineProperty({}, 'GET /a', { get: throwing, enumerable: true }),
  ],
  ['a Proxy whose get throws', new Proxy({ 'GET /a': { code: 'A' } }, { get: throwing })],
  ['a Proxy whose ownKeys throws', new Proxy({}, { ownKeys: throwing })],
  ['a revoked Proxy', revoked.proxy],
  [
    'an entry whose code getter throws',
    {
      'GET /a': {
        get code() {
          return throwing();
        },
      },
    },
  ],
];

describe('a hostile endpoints option', () => {
  it.each(HOSTILE)(
    '%s: every request is still recorded and ends; the entry is left out, counted',
    async (_, endpoints) => {
      const otel = createTestMeterProvider();
      const api = new ApiInstrumentation({ meterProvider: otel.meterProvider, endpoints } as never);
      const server = createServer((_req, res) => res.end('ok'));
      instrumentServer(server, api, { route: () => '/a' });
      const base = await listen(server);
      for (let i = 0; i < 2; i++) await (await fetch(`${base}/a`)).text();
      await close(server);
      await new Promise((resolve) => setImmediate(resolve));

      const duration = await otel.metric(METRIC_HTTP_SERVER_REQUEST_DURATION);
      expect(
        duration.dataPoints.map((p) => [
          p.attributes[ATTR_OPMETER_ENDPOINT_CODE],
          (p.value as Histogram).count,
        ]),
      ).toEqual([['GET /a', 2]]);
      const active = await otel.metric(METRIC_HTTP_SERVER_ACTIVE_REQUESTS);
      expect(active.dataPoints.every((p) => p.value === 0)).toBe(true);
      const adjusted = await otel.metric(METRIC_OPMETER_INPUT_ADJUSTED);
      expect(
        adjusted.dataPoints.some(
          (p) => p.attributes[ATTR_OPMETER_REASON] === ADJUSTMENT_UNREADABLE,
        ),
      ).toBe(true);
      const errors = (await otel.metrics()).get(METRIC_OPMETER_INTERNAL_ERRORS);
      expect(errors?.dataPoints.reduce((sum, p) => sum + (p.value as number), 0) ?? 0).toBe(0);
    },
  );
});
