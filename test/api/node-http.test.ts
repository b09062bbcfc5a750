import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  type ApiInstrumentationConfig,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  instrumentServer,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  METRIC_OPMETER_API_CACHE_REQUESTS,
  markCacheHit,
  recordError,
  setEndpoint,
} from '../../instrumentations/api/index.js';
import { METRIC_OPMETER_INTERNAL_ERRORS } from '../../src/core/self-metrics.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { ArrayRowSink, close, eventually, listen, postChunked } from './support.js';

let server: Server | undefined;

afterEach(async () => {
  setRecordingEnabled(true);
  if (server !== undefined) await close(server);
  server = undefined;
});

/** A tiny hand-written router: the kind of app that has no framework. */
function routeOf(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (/^\/products\/[^/]+$/.test(path)) return '/products/:sku';
  if (path === '/upload' || path === '/fail' || path === '/cached') return path;
  return undefined;
}

async function start(config: ApiInstrumentationConfig = {}) {
  const otel = createTestMeterProvider();
  const rows = new ArrayRowSink();
  const api = new ApiInstrumentation({
    meterProvider: otel.meterProvider,
    rows,
    bodySizeMetrics: true,
    ...config,
  });
  server = createServer(async (req, res) => {
    const route = routeOf(req);
    try {
      if (route === '/upload') {
        let bytes = 0;
        for await (const chunk of req) bytes += (chunk as Buffer).length;
        res.end(String(bytes));
      } else if (route === '/fail') {
        throw Object.assign(new Error('database unreachable'), { code: 'ECONNREFUSED' });
      } else if (route === '/cached') {
        markCacheHit(req);
        setEndpoint(req, { code: 'CACHED', package: 'catalog' });
        res.end('from cache');
      } else if (route !== undefined) {
        res.setHeader('content-type', 'text/plain');
        res.end('product');
      } else {
        res.statusCode = 404;
        res.end('not found');
      }
    } catch (error) {
      recordError(req, error);
      res.statusCode = 503;
      res.end('unavailable');
    }
  });
  instrumentServer(server, api, { route: routeOf });
  const base = await listen(server);
  return { ...otel, rows, base };
}

describe('instrumentServer (node:http)', () => {
  it('uses the route resolver, never the raw path', async () => {
    const { base, point, rows } = await start();
    await (await fetch(`${base}/products/SKU-991?ref=mail`)).text();
    await (await fetch(`${base}/products/SKU-992`, { method: 'HEAD' })).text();
    await eventually(() => rows.rows.length === 2);
    const get = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      'http.request.method': 'GET',
    });
    expect(get.attributes[ATTR_HTTP_ROUTE]).toBe('/products/:sku');
    expect(get.attributes[ATTR_OPMETER_ENDPOINT_CODE]).toBe('GET /products/:sku');
    const head = await point<Histogram>(METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE, {
      'http.request.method': 'HEAD',
    });
    expect(head.value.sum).toBe(0);
    expect(JSON.stringify(rows.rows)).not.toMatch(/SKU-99|ref=mail/);
  });

  it('counts a chunked request body as received', async () => {
    const { base, point, rows } = await start();
    const chunks = ['a'.repeat(1000), 'é'.repeat(500), 'z'.repeat(24)];
    expect(await postChunked(`${base}/upload`, chunks)).toBe(200);
    await eventually(() => rows.rows.length === 1);
    const expected = chunks.reduce((sum, c) => sum + Buffer.byteLength(c), 0);
    const size = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_BODY_SIZE, {
      [ATTR_HTTP_ROUTE]: '/upload',
    });
    expect(size.value.sum).toBe(expected);
    expect(rows.rows[0]?.row.RequestSizeKB).toBe(expected / 1024);
  });

  it('records a handled error with its code as error.type and a 5xx failure', async () => {
    const { base, point, rows } = await start();
    expect((await fetch(`${base}/fail`)).status).toBe(503);
    await eventually(() => rows.rows.length === 1);
    const p = await point(METRIC_HTTP_SERVER_REQUEST_DURATION, { [ATTR_HTTP_ROUTE]: '/fail' });
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('ECONNREFUSED');
    expect(p.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(503);
    expect(rows.rows[0]?.row).toMatchObject({
      OperationSuccess: false,
      ErrorMessage: 'database unreachable',
    });
  });

  it('records a 5xx without a recorded error with the status code as error.type', async () => {
    const otel = createTestMeterProvider();
    const rows = new ArrayRowSink();
    const api = new ApiInstrumentation({ meterProvider: otel.meterProvider, rows });
    server = createServer((_req, res) => {
      res.statusCode = 502;
      res.end();
    });
    instrumentServer(server, api);
    const base = await listen(server);
    await (await fetch(`${base}/anything/at/all`)).text();
    await eventually(() => rows.rows.length === 1);
    const p = await otel.point(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('502');
    expect(p.attributes).not.toHaveProperty(ATTR_HTTP_ROUTE);
    expect(rows.rows[0]?.row).toMatchObject({
      EndpointCode: 'GET (unmatched)',
      OperationSuccess: false,
      ErrorMessage: 'HTTP 502',
    });
  });

  it('applies endpoint overrides from the handler and from the configuration', async () => {
    const { base, point, rows } = await start({
      defaultPackage: 'shop',
      endpoints: { 'GET /products/:sku': { code: 'PRODUCT_READ' } },
    });
    await (await fetch(`${base}/cached`)).text();
    await (await fetch(`${base}/products/p1`)).text();
    await eventually(() => rows.rows.length === 2);
    expect(rows.rows.map((r) => [r.row.EndpointCode, r.row.Package, r.row.CacheHit])).toEqual([
      ['CACHED', 'catalog', true],
      ['PRODUCT_READ', 'shop', false],
    ]);
    const hit = await point(METRIC_OPMETER_API_CACHE_REQUESTS, { [ATTR_PACKAGE]: 'catalog' });
    expect(hit.value).toBe(1);
  });

  it('can rename the duration histogram or keep only rows, for use next to instrumentation-http', async () => {
    const renamed = await start({ durationMetricName: 'opmeter.api.request.duration' });
    await (await fetch(`${renamed.base}/products/a`)).text();
    await eventually(() => renamed.rows.rows.length === 1);
    const names = [...(await renamed.metrics()).keys()];
    expect(names).toContain('opmeter.api.request.duration');
    expect(names).not.toContain(METRIC_HTTP_SERVER_REQUEST_DURATION);
    if (server !== undefined) await close(server);

    const rowsOnly = await start({ semconvMetrics: false });
    await (await fetch(`${rowsOnly.base}/products/a`)).text();
    await eventually(() => rowsOnly.rows.rows.length === 1);
    const left = [...(await rowsOnly.metrics()).keys()].filter((n) => n.startsWith('http.'));
    expect(left).toEqual([]);
    expect(rowsOnly.rows.rows[0]?.row.Endpoint).toBe('/products/:sku');
  });

  it('measures nothing while recording is switched off', async () => {
    const { base, metrics, rows } = await start();
    setRecordingEnabled(false);
    await (await fetch(`${base}/products/a`)).text();
    setRecordingEnabled(true);
    await (await fetch(`${base}/products/b`)).text();
    await eventually(() => rows.rows.length === 1);
    const duration = (await metrics()).get(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(duration?.dataPoints).toHaveLength(1);
    expect((duration?.dataPoints[0]?.value as Histogram | undefined)?.count).toBe(1);
    const active = (await metrics()).get(METRIC_HTTP_SERVER_ACTIVE_REQUESTS);
    expect(active?.dataPoints[0]?.value).toBe(0);
  });

  it('a success rule that throws still ends the request (default rule, counted), active back to 0', async () => {
    const { base, point, rows } = await start({
      isSuccess: () => {
        throw new Error('rule broken');
      },
    });
    await (await fetch(`${base}/products/a`)).text();
    await eventually(() => rows.rows.length === 1);
    expect(rows.rows[0]?.row.OperationSuccess).toBe(true);
    const duration = await point<Histogram>(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(duration.value.count).toBe(1);
    expect((await point(METRIC_HTTP_SERVER_ACTIVE_REQUESTS)).value).toBe(0);
    expect((await point(METRIC_OPMETER_INTERNAL_ERRORS)).value).toBe(1);
  });

  it('the request helpers return false for a missing or non-object request instead of throwing', () => {
    for (const req of [undefined, null, 'req', 42]) {
      const value = req as unknown as object;
      expect(markCacheHit(value)).toBe(false);
      expect(recordError(value, new Error('x'))).toBe(false);
      expect(setEndpoint(value, { code: 'X' })).toBe(false);
    }
  });

  it('rejects invalid limits and buckets at construction', () => {
    expect(() => new ApiInstrumentation({ maxRoutes: 0 })).toThrow(/maxRoutes/);
    expect(() => new ApiInstrumentation({ sizeBuckets: [10, 5] })).toThrow(/sorted ascending/);
  });

  it('measures a server instrumented with null options, for plain-JS callers', async () => {
    const otel = createTestMeterProvider();
    const rows = new ArrayRowSink();
    const api = new ApiInstrumentation({ meterProvider: otel.meterProvider, rows });
    server = createServer((_req, res) => {
      res.end('ok');
    });
    instrumentServer(server, api, null as never);
    const base = await listen(server);
    expect((await fetch(`${base}/anything`)).status).toBe(200);
    await eventually(() => rows.rows.length === 1);
    const duration = await otel.point<Histogram>(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    });
    expect(duration.value.count).toBe(1);
  });
});
