import { Readable } from 'node:stream';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  fastifyPlugin,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  markCacheMiss,
} from '../../instrumentations/api/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { ArrayRowSink, abortAfterFirstChunk, eventually } from './support.js';

const STREAM_BYTES = 2 * 1024 * 1024;

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A Fastify app with the plugin registered, measuring into a test provider and row sink. */
async function instrumentedApp(options: { bodySizeMetrics?: boolean } = {}) {
  const otel = createTestMeterProvider();
  const rows = new ArrayRowSink();
  const fastify = Fastify();
  app = fastify;
  await fastify.register(
    fastifyPlugin(new ApiInstrumentation({ meterProvider: otel.meterProvider, rows, ...options })),
  );
  return { otel, rows, fastify };
}

async function start() {
  const { otel, rows, fastify } = await instrumentedApp({ bodySizeMetrics: true });
  // Routes in an encapsulated child context: the plugin's hooks must still apply.
  await fastify.register(
    async (child) => {
      child.get('/items/:id', async (request) => {
        markCacheMiss(request);
        return { id: (request.params as { id: string }).id };
      });
      child.post('/items', async (request, reply) => {
        reply.code(202);
        return { size: JSON.stringify(request.body).length };
      });
      child.get(
        '/reports/:year',
        { config: { opmeter: { code: 'REPORT', package: 'finance' } } },
        async () => 'report',
      );
      child.get('/fail/:id', async () => {
        throw new RangeError('year out of range');
      });
      child.get('/download', async (_request, reply) => {
        reply.type('application/octet-stream');
        const chunk = Buffer.alloc(64 * 1024, 1);
        const count = STREAM_BYTES / chunk.length;
        return reply.send(Readable.from(Array.from({ length: count }, () => chunk)));
      });
      child.get('/hang', (_request, reply) => {
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.write('partial');
      });
    },
    { prefix: '/v1' },
  );
  const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return { ...otel, rows, base };
}

describe('fastifyPlugin', () => {
  it('records the route template of a route in an encapsulated, prefixed context', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/v1/items/abc-123?q=1`);
    expect(response.status).toBe(200);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    const p = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(p.attributes).toMatchObject({
      [ATTR_HTTP_ROUTE]: '/v1/items/:id',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      [ATTR_OPMETER_ENDPOINT_CODE]: 'GET /v1/items/:id',
    });
    expect(p.value.count).toBe(1);
    expect(rows.rows[0]?.row).toMatchObject({
      Endpoint: '/v1/items/:id',
      StatusCode: 200,
      CacheHit: false,
      OperationSuccess: true,
    });
  });

  it('measures a JSON body and the endpoint code from the route config', async () => {
    const { base, point, rows } = await start();
    const payload = JSON.stringify({ sku: 'X-1', quantity: 3 });
    const posted = await fetch(`${base}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(posted.status).toBe(202);
    await posted.text();
    await (await fetch(`${base}/v1/reports/2024`)).text();
    await eventually(() => rows.rows.length === 2);
    const size = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_BODY_SIZE, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 202,
    });
    expect(size.value.sum).toBe(Buffer.byteLength(payload));
    await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_OPMETER_ENDPOINT_CODE]: 'REPORT',
      [ATTR_PACKAGE]: 'finance',
      [ATTR_HTTP_ROUTE]: '/v1/reports/:year',
    });
  });

  it('records a thrown error through the onError hook', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/v1/fail/1`);
    expect(response.status).toBe(500);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    const p = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_ROUTE]: '/v1/fail/:id',
    });
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('RangeError');
    expect(p.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(500);
    expect(rows.rows[0]?.row).toMatchObject({
      OperationSuccess: false,
      ErrorMessage: 'year out of range',
    });
  });

  it('records a 404 without a route', async () => {
    const { base, point, rows } = await start();
    const response = await fetch(`${base}/v1/missing/77`);
    expect(response.status).toBe(404);
    await response.text();
    await eventually(() => rows.rows.length === 1);
    const p = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 404,
    });
    expect(p.attributes).not.toHaveProperty(ATTR_HTTP_ROUTE);
    expect(rows.rows[0]?.row).toMatchObject({ Endpoint: null, EndpointCode: 'GET (unmatched)' });
  });

  it('counts a large streamed body and records an aborted request', async () => {
    const { base, point, rows, metric } = await start();
    const received = (await (await fetch(`${base}/v1/download`)).arrayBuffer()).byteLength;
    expect(received).toBe(STREAM_BYTES);
    await abortAfterFirstChunk(`${base}/v1/hang`);
    await eventually(() => rows.rows.length === 2);
    const download = await point<Histogram>(METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE, {
      [ATTR_HTTP_ROUTE]: '/v1/download',
    });
    expect(download.value.sum).toBe(STREAM_BYTES);
    const hang = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_ROUTE]: '/v1/hang',
    });
    expect(hang.attributes[ATTR_ERROR_TYPE]).toBe('aborted');
    const aborted = rows.rows.find((r) => r.row.Endpoint === '/v1/hang')?.row;
    expect(aborted).toMatchObject({ OperationSuccess: false, StatusCode: 200 });
    expect(aborted?.ResponseSizeKB).toBe(Buffer.byteLength('partial') / 1024);
    const active = await metric(METRIC_HTTP_SERVER_ACTIVE_REQUESTS);
    expect(active.dataPoints.every((d) => d.value === 0)).toBe(true);
  });

  it('reads a route once when it is declared and keeps its own onRequest hooks', async () => {
    const { otel, rows, fastify } = await instrumentedApp();
    let reads = 0;
    const endpoint = {
      get code() {
        reads += 1;
        return 'ORDER_READ';
      },
    };
    const seen: string[] = [];
    fastify.get(
      '/orders/:id',
      {
        config: { opmeter: endpoint },
        onRequest: [
          (_request, _reply, done) => {
            seen.push('own');
            done();
          },
        ],
      },
      async () => 'order',
    );
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const readsAtDeclaration = reads;
    expect(readsAtDeclaration).toBeGreaterThan(0);
    for (const method of ['GET', 'GET', 'HEAD']) {
      const response = await fetch(`${base}/orders/9`, { method });
      expect(response.status).toBe(200);
      await response.text();
    }
    await eventually(() => rows.rows.length === 3);
    expect(reads).toBe(readsAtDeclaration);
    expect(seen).toEqual(['own', 'own', 'own']);
    expect(rows.rows.map((r) => [r.row.HTTPMethod, r.row.Endpoint, r.row.EndpointCode])).toEqual([
      ['GET', '/orders/:id', 'ORDER_READ'],
      ['GET', '/orders/:id', 'ORDER_READ'],
      ['HEAD', '/orders/:id', 'ORDER_READ'],
    ]);
    await otel.point(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_ROUTE]: '/orders/:id',
      [ATTR_OPMETER_ENDPOINT_CODE]: 'ORDER_READ',
    });
  });

  it('keeps the route and endpoint of a request an earlier hook answered', async () => {
    const { rows, fastify } = await instrumentedApp();
    // a global hook registered after the plugin, replying before any route-level hook runs
    fastify.addHook('onRequest', async (request, reply) => {
      if (request.headers.authorization === undefined) await reply.code(401).send('no');
    });
    fastify.get('/vault/:id', { config: { opmeter: { code: 'VAULT_READ' } } }, async () => 'ok');
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const denied = await fetch(`${base}/vault/1`);
    expect(denied.status).toBe(401);
    await denied.text();
    const allowed = await fetch(`${base}/vault/1`, { headers: { authorization: 'x' } });
    expect(allowed.status).toBe(200);
    await allowed.text();
    await eventually(() => rows.rows.length === 2);
    expect(rows.rows.map((r) => [r.row.StatusCode, r.row.Endpoint, r.row.EndpointCode])).toEqual([
      [401, '/vault/:id', 'VAULT_READ'],
      [200, '/vault/:id', 'VAULT_READ'],
    ]);
  });
});
