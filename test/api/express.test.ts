import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  API_TABLE,
  ApiInstrumentation,
  type ApiInstrumentationConfig,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_OPMETER_CACHE_RESULT,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  ATTR_URL_SCHEME,
  expressEndpoint,
  expressErrorRecorder,
  expressMiddleware,
  HTTP_BODY_SIZE_BUCKETS,
  HTTP_DURATION_BUCKETS,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  METRIC_OPMETER_API_CACHE_REQUESTS,
  markCacheHit,
} from '../../instrumentations/api/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { ArrayRowSink, abortAfterFirstChunk, close, eventually, listen } from './support.js';

const STREAM_CHUNK = 64 * 1024;
const STREAM_CHUNKS = 16;

let server: Server | undefined;

afterEach(async () => {
  if (server !== undefined) await close(server);
  server = undefined;
});

async function start(config: ApiInstrumentationConfig = {}) {
  const otel = createTestMeterProvider();
  const rows = new ArrayRowSink();
  const stats = new SessionStats();
  const api = new ApiInstrumentation({
    meterProvider: otel.meterProvider,
    rows,
    stats,
    bodySizeMetrics: true,
    ...config,
  });
  const app = express();
  app.use(expressMiddleware(api));
  app.use(express.json());
  app.get('/users/:id', (req, res) => {
    if (req.query.cached === '1') markCacheHit(req);
    res.json({ id: req.params.id });
  });
  app.post('/users', (req, res) => {
    res.status(201).json({ received: Object.keys(req.body as object).length });
  });
  app.get('/orders/:id', expressEndpoint({ code: 'ORDER_READ', package: 'sales' }), (_req, res) => {
    res.send('order');
  });
  app.get('/boom/:id', () => {
    throw new TypeError('bad input for boom');
  });
  app.get('/stream', (_req, res) => {
    res.setHeader('content-type', 'application/octet-stream');
    const chunks = Array.from({ length: STREAM_CHUNKS }, () => Buffer.alloc(STREAM_CHUNK, 7));
    Readable.from(chunks).pipe(res);
  });
  app.get('/slow', (_req, res) => {
    res.write('first bytes');
  });
  const orgs = express.Router();
  orgs.get('/users/:id', (_req, res) => {
    res.send('member');
  });
  orgs.get('/', (_req, res) => {
    res.send('org');
  });
  app.use('/orgs/:org', orgs);
  app.use(expressErrorRecorder());
  server = createServer(app);
  const base = await listen(server);
  return { ...otel, api, rows, stats, base };
}

describe('expressMiddleware', () => {
  it('records a matched route with semconv names, units, buckets and attributes', async () => {
    const { base, metric, point, rows, stats } = await start();
    const response = await fetch(`${base}/users/ada-lovelace?token=secret`);
    const body = await response.text();
    await eventually(() => rows.rows.length === 1);

    const duration = await metric(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/HTTP server/);
    expect(duration.dataPoints).toHaveLength(1);
    const p = duration.dataPoints[0];
    expect(p?.attributes).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_SCHEME]: 'http',
      [ATTR_HTTP_ROUTE]: '/users/:id',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
      [ATTR_OPMETER_ENDPOINT_CODE]: 'GET /users/:id',
      [ATTR_PACKAGE]: 'default',
    });
    const histogram = p?.value as Histogram;
    expect(histogram.count).toBe(1);
    expect(histogram.buckets.boundaries).toEqual(HTTP_DURATION_BUCKETS);
    expect(histogram.sum).toBeGreaterThan(0);
    expect(histogram.sum).toBeLessThan(5);

    const responseSize = await metric(METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE);
    expect(responseSize.descriptor.unit).toBe('By');
    const sizePoint = responseSize.dataPoints[0]?.value as Histogram;
    expect(sizePoint.sum).toBe(Buffer.byteLength(body));
    expect(sizePoint.buckets.boundaries).toEqual(HTTP_BODY_SIZE_BUCKETS);
    expect(
      ((await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_BODY_SIZE)).value as Histogram).sum,
    ).toBe(0);

    const active = await metric(METRIC_HTTP_SERVER_ACTIVE_REQUESTS);
    expect(active.descriptor.unit).toBe('{request}');
    expect(active.dataPoints[0]?.attributes).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_SCHEME]: 'http',
    });
    expect(active.dataPoints[0]?.value).toBe(0);

    expect(rows.rows[0]?.table).toBe(API_TABLE);
    const row = rows.rows[0]?.row;
    expect(row).toMatchObject({
      EndpointCode: 'GET /users/:id',
      Package: 'default',
      HTTPMethod: 'GET',
      Endpoint: '/users/:id',
      StatusCode: 200,
      RequestSizeKB: 0,
      ResponseSizeKB: Buffer.byteLength(body) / 1024,
      CacheHit: false,
      OperationSuccess: true,
      ErrorMessage: null,
    });
    expect(row?.ElapsedSeconds).toBeGreaterThan(0);
    expect(JSON.stringify(row)).not.toMatch(/ada-lovelace|secret/);
    expect(JSON.stringify(p?.attributes)).not.toMatch(/ada-lovelace|secret/);
    expect(stats.snapshot().operations[0]).toMatchObject({
      domain: 'api',
      operation: 'GET /users/:id',
      operations: 1,
    });
  });

  it('reports the template of routes under a router mounted on a parameterised path', async () => {
    const { base, metric, rows } = await start();
    await (await fetch(`${base}/orgs/acme/users/7`)).text();
    await (await fetch(`${base}/orgs/globex`)).text();
    await eventually(() => rows.rows.length === 2);
    const routes = (await metric(METRIC_HTTP_SERVER_REQUEST_DURATION)).dataPoints.map(
      (p) => p.attributes[ATTR_HTTP_ROUTE],
    );
    expect(routes.sort()).toEqual(['/orgs/:org', '/orgs/:org/users/:id']);
    expect(rows.rows.map((r) => r.row.Endpoint).sort()).toEqual([
      '/orgs/:org',
      '/orgs/:org/users/:id',
    ]);
  });

  it('measures a POST body, a cache hit and an endpoint code assigned to the route', async () => {
    const { base, point, rows } = await start();
    const payload = JSON.stringify({ name: 'Ada', role: 'admin' });
    const created = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(created.status).toBe(201);
    await created.text();
    await (await fetch(`${base}/users/1?cached=1`)).text();
    await (await fetch(`${base}/orders/9`)).text();
    await eventually(() => rows.rows.length === 3);

    const post = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_BODY_SIZE, {
      [ATTR_HTTP_REQUEST_METHOD]: 'POST',
    });
    expect(post.value.sum).toBe(Buffer.byteLength(payload));
    expect(post.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(201);
    const byCode = new Map(rows.rows.map((r) => [r.row.EndpointCode, r.row]));
    expect(byCode.get('POST /users')?.RequestSizeKB).toBe(Buffer.byteLength(payload) / 1024);
    expect(byCode.get('GET /users/:id')?.CacheHit).toBe(true);
    expect(byCode.get('ORDER_READ')).toMatchObject({ Package: 'sales', Endpoint: '/orders/:id' });

    const hits = await point(METRIC_OPMETER_API_CACHE_REQUESTS, {
      [ATTR_OPMETER_ENDPOINT_CODE]: 'GET /users/:id',
    });
    expect(hits.value).toBe(1);
    expect(hits.attributes[ATTR_OPMETER_CACHE_RESULT]).toBe('hit');
    await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_OPMETER_ENDPOINT_CODE]: 'ORDER_READ',
      [ATTR_PACKAGE]: 'sales',
      [ATTR_HTTP_ROUTE]: '/orders/:id',
    });
  });

  it('records a thrown error as a 500 with the error class, and its message in the row', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/boom/3`);
    expect(response.status).toBe(500);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    const p = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 500,
    });
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(p.attributes[ATTR_HTTP_ROUTE]).toBe('/boom/:id');
    expect(rows.rows[0]?.row).toMatchObject({
      StatusCode: 500,
      OperationSuccess: false,
      ErrorMessage: 'bad input for boom',
    });
  });

  it('records an unmatched request as a 404 with no route and the unmatched endpoint code', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/nowhere/123?x=1`);
    expect(response.status).toBe(404);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    const p = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 404,
    });
    expect(p.attributes).not.toHaveProperty(ATTR_HTTP_ROUTE);
    expect(p.attributes).not.toHaveProperty(ATTR_ERROR_TYPE);
    expect(p.attributes[ATTR_OPMETER_ENDPOINT_CODE]).toBe('GET (unmatched)');
    expect(rows.rows[0]?.row).toMatchObject({
      EndpointCode: 'GET (unmatched)',
      Endpoint: null,
      StatusCode: 404,
      OperationSuccess: true,
    });
  });

  it('counts the bytes of a large streamed response as written', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/stream`);
    const received = (await response.arrayBuffer()).byteLength;
    expect(received).toBe(STREAM_CHUNK * STREAM_CHUNKS);
    await eventually(() => rows.rows.length === 1);
    const size = await point<Histogram>(METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE, {
      [ATTR_HTTP_ROUTE]: '/stream',
    });
    expect(size.value.sum).toBe(received);
    expect(rows.rows[0]?.row.ResponseSizeKB).toBe(received / 1024);
  });

  it('records a request the client aborts as aborted and failed', async () => {
    const { base, point, rows, metric } = await start();
    await abortAfterFirstChunk(`${base}/slow`);
    await eventually(() => rows.rows.length === 1);
    const p = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, { [ATTR_HTTP_ROUTE]: '/slow' });
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('aborted');
    expect(rows.rows[0]?.row).toMatchObject({
      Endpoint: '/slow',
      OperationSuccess: false,
      ResponseSizeKB: Buffer.byteLength('first bytes') / 1024,
    });
    expect(rows.rows[0]?.row.ErrorMessage).toMatch(/closed before the response was complete/);
    expect((await metric(METRIC_HTTP_SERVER_ACTIVE_REQUESTS)).dataPoints[0]?.value).toBe(0);
  });

  it('maps unknown methods to _OTHER and applies a custom success rule', async () => {
    const { base, point, rows } = await start({
      isSuccess: ({ statusCode, aborted }) =>
        !aborted && statusCode !== undefined && statusCode < 400,
    });
    const response = await fetch(`${base}/users/5`, { method: 'PURGE' });
    expect(response.status).toBe(404);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    await point(METRIC_HTTP_SERVER_REQUEST_DURATION, { [ATTR_HTTP_REQUEST_METHOD]: '_OTHER' });
    expect(rows.rows[0]?.row).toMatchObject({
      HTTPMethod: '_OTHER',
      EndpointCode: '_OTHER (unmatched)',
      OperationSuccess: false,
      ErrorMessage: 'HTTP 404',
    });
  });
});
