import { Agent, createServer, type Server } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  ATTR_HTTP_ROUTE,
  expressMiddleware,
  instrumentServer,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  ROUTE_VALUE_OVERFLOW,
} from '../../instrumentations/api/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { ArrayRowSink, close, eventually, get, listen, pool } from './support.js';

const DISTINCT_PATHS = 10_000;
const CONCURRENCY = 32;
/** 10,000 real requests per path family take seconds; allow for a loaded machine. */
const TIMEOUT_MS = 120_000;

let server: Server | undefined;
let agent: Agent | undefined;

afterEach(async () => {
  agent?.destroy();
  agent = undefined;
  if (server !== undefined) await close(server);
  server = undefined;
});

async function hitAll(base: string, pathOf: (i: number) => string): Promise<void> {
  agent ??= new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const keepAlive = agent;
  await pool(DISTINCT_PATHS, CONCURRENCY, async (i) => {
    await get(`${base}${pathOf(i)}`, keepAlive);
  });
}

describe('route cardinality', () => {
  it(
    `stays bounded over ${DISTINCT_PATHS} distinct ids on a route and ${DISTINCT_PATHS} unmatched paths`,
    async () => {
      const otel = createTestMeterProvider();
      const rows = new ArrayRowSink();
      const api = new ApiInstrumentation({ meterProvider: otel.meterProvider, rows });
      const app = express();
      app.use(expressMiddleware(api));
      app.get('/users/:id', (req, res) => {
        res.send(req.params.id);
      });
      server = createServer(app);
      const base = await listen(server);

      await hitAll(base, (i) => `/users/${i}?page=${i}`);
      await hitAll(base, (i) => `/unknown/${i}`);
      await eventually(() => rows.rows.length === 2 * DISTINCT_PATHS);

      const points = (await otel.metric(METRIC_HTTP_SERVER_REQUEST_DURATION)).dataPoints;
      expect(points.map((p) => p.attributes[ATTR_HTTP_ROUTE] ?? null).sort()).toEqual([
        '/users/:id',
        null,
      ]);
      const counts = points.map((p) => (p.value as Histogram).count);
      expect(counts).toEqual([DISTINCT_PATHS, DISTINCT_PATHS]);
      expect(new Set(rows.rows.map((r) => r.row.Endpoint))).toEqual(new Set(['/users/:id', null]));
      expect(new Set(rows.rows.map((r) => r.row.EndpointCode)).size).toBe(2);
    },
    TIMEOUT_MS,
  );

  it(
    'caps a resolver that wrongly returns raw paths at maxRoutes, counting the overflow',
    async () => {
      const otel = createTestMeterProvider();
      const rows = new ArrayRowSink();
      const api = new ApiInstrumentation({
        meterProvider: otel.meterProvider,
        rows,
        maxRoutes: 20,
      });
      server = createServer((_req, res) => res.end('ok'));
      instrumentServer(server, api, { route: (req) => req.url });
      const base = await listen(server);
      await hitAll(base, (i) => `/orders/${i}`);
      await eventually(() => rows.rows.length === DISTINCT_PATHS);

      const points = (await otel.metric(METRIC_HTTP_SERVER_REQUEST_DURATION)).dataPoints;
      expect(points).toHaveLength(21);
      const overflow = points.find((p) => p.attributes[ATTR_HTTP_ROUTE] === ROUTE_VALUE_OVERFLOW);
      expect((overflow?.value as Histogram | undefined)?.count).toBe(DISTINCT_PATHS - 20);
      const adjusted = await otel.point('opmeter.input.adjusted', {
        'opmeter.reason': 'cardinality_limit',
      });
      expect(adjusted.value).toBe(DISTINCT_PATHS - 20);
    },
    TIMEOUT_MS,
  );
});
