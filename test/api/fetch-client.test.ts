import { createServer, type Server } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
  FetchInstrumentation,
  HTTP_DURATION_BUCKETS,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { close, listen } from './support.js';

let server: Server | undefined;
let client: FetchInstrumentation | undefined;

afterEach(async () => {
  client?.disable();
  client = undefined;
  if (server !== undefined) await close(server);
  server = undefined;
});

async function start() {
  const otel = createTestMeterProvider();
  client = new FetchInstrumentation({ meterProvider: otel.meterProvider });
  server = createServer((req, res) => {
    if (req.url?.startsWith('/missing')) {
      res.statusCode = 404;
      res.end('no');
    } else if (req.url === '/slow') {
      res.write('started');
    } else {
      res.end('hello');
    }
  });
  const base = await listen(server);
  const port = Number(new URL(base).port);
  return { ...otel, base, port };
}

describe('FetchInstrumentation', () => {
  it('records fetch calls with semconv attributes and no path', async () => {
    const { base, port, metric } = await start();
    expect(await (await fetch(`${base}/users/u-777?token=abc`)).text()).toBe('hello');
    const posted = await fetch(`${base}/users`, { method: 'POST', body: 'x' });
    await posted.text();
    const duration = await metric(METRIC_HTTP_CLIENT_REQUEST_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/client/);
    const attributes = duration.dataPoints.map((p) => p.attributes);
    expect(attributes).toContainEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: port,
      [ATTR_URL_SCHEME]: 'http',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    });
    expect(attributes).toContainEqual(
      expect.objectContaining({ [ATTR_HTTP_REQUEST_METHOD]: 'POST' }),
    );
    const get = duration.dataPoints.find((p) => p.attributes[ATTR_HTTP_REQUEST_METHOD] === 'GET');
    expect((get?.value as Histogram | undefined)?.buckets.boundaries).toEqual(
      HTTP_DURATION_BUCKETS,
    );
    expect(JSON.stringify(attributes)).not.toMatch(/users|u-777|token/);
  });

  it('sets error.type to the status code for 4xx and 5xx responses', async () => {
    const { base, point } = await start();
    await (await fetch(`${base}/missing/1`)).text();
    const p = await point(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 404,
    });
    expect(p.attributes[ATTR_ERROR_TYPE]).toBe('404');
  });

  it('records an aborted fetch and a refused connection with their error type', async () => {
    const { base, point } = await start();
    const controller = new AbortController();
    const response = await fetch(`${base}/slow`, { signal: controller.signal });
    controller.abort();
    await expect(response.text()).rejects.toThrow();
    const aborted = await point(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      [ATTR_ERROR_TYPE]: 'AbortError',
    });
    expect(aborted.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(200);

    const closed = createServer();
    const closedBase = await listen(closed);
    await close(closed);
    await expect(fetch(`${closedBase}/`)).rejects.toThrow();
    const refused = await point<Histogram>(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      [ATTR_ERROR_TYPE]: 'ECONNREFUSED',
    });
    expect(refused.value.count).toBe(1);
    expect(refused.attributes).not.toHaveProperty(ATTR_HTTP_RESPONSE_STATUS_CODE);
  });

  it('records nothing once disabled, and again once re-enabled', async () => {
    const { base, metrics, point } = await start();
    client?.disable();
    expect(client?.enabled).toBe(false);
    await (await fetch(`${base}/a`)).text();
    expect((await metrics()).get(METRIC_HTTP_CLIENT_REQUEST_DURATION)).toBeUndefined();
    client?.enable();
    await (await fetch(`${base}/a`)).text();
    const p = await point<Histogram>(METRIC_HTTP_CLIENT_REQUEST_DURATION);
    expect(p.value.count).toBe(1);
  });
});
