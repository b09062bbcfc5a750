import { createServer } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OriginSeries } from '../../instrumentations/api/client/origin-series.js';
import {
  ApiInstrumentation,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_OPMETER_ENDPOINT_CODE,
  ATTR_PACKAGE,
  instrumentServer,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  setEndpoint,
} from '../../instrumentations/api/index.js';
import { tupleKey } from '../../src/core/tuple-key.js';
import { createDefMetricWriter, type DefMetricRowWriter } from '../../src/def-metric/index.js';
import { type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { close, listen } from './support.js';

describe('tupleKey', () => {
  it('tells apart tuples that a separator would join into the same string', () => {
    expect(tupleKey(['X\nY', 'Z'])).not.toBe(tupleKey(['X', 'Y\nZ']));
    expect(tupleKey(['a', undefined])).not.toBe(tupleKey(['a', '']));
    expect(tupleKey(['1:a'])).not.toBe(tupleKey(['1', 'a']));
    expect(tupleKey(['GET', 500])).toBe(tupleKey(['GET', '500']));
  });
});

describe('the API endpoint cache', () => {
  let fixture: DialectFixture;
  let writer: DefMetricRowWriter;
  const otel = createTestMeterProvider();

  beforeAll(async () => {
    fixture = await openFixture('sqlite');
    writer = createDefMetricWriter({
      url: fixture.url,
      meterProvider: createTestMeterProvider().meterProvider,
      retention: false,
      onWarning: () => {},
    });
    const api = new ApiInstrumentation({ meterProvider: otel.meterProvider, rows: writer });
    const server = createServer((req, res) => {
      const [code, pkg] = req.url === '/send?first' ? ['X\nY', 'Z'] : ['X', 'Y\nZ'];
      setEndpoint(req, { code, package: pkg });
      res.end('ok');
    });
    // One route for both: only the endpoints assigned by the handler tell the requests apart.
    instrumentServer(server, api, { route: () => '/send' });
    const base = await listen(server);
    for (const path of ['/send?first', '/send?second', '/send?first']) {
      await (await fetch(base + path)).text();
    }
    await close(server);
    await new Promise((resolve) => setImmediate(resolve));
    await writer.flush();
  });

  afterAll(async () => {
    await writer?.close({ deadlineMs: 2_000 });
    await fixture?.cleanup();
  });

  it("keys ('X\\nY', 'Z') and ('X', 'Y\\nZ') as two endpoints, each exported under its own code and package", async () => {
    const points = (await otel.metric(METRIC_HTTP_SERVER_REQUEST_DURATION)).dataPoints;
    const byEndpoint = points.map((p) => [
      p.attributes[ATTR_OPMETER_ENDPOINT_CODE],
      p.attributes[ATTR_PACKAGE],
      (p.value as Histogram).count,
    ]);
    expect(byEndpoint).toHaveLength(2);
    expect(byEndpoint).toEqual(
      expect.arrayContaining([
        ['X\nY', 'Z', 2],
        ['X', 'Y\nZ', 1],
      ]),
    );
  });

  it('…and stores each row under its own code and package', async () => {
    const reader = fixture.dialect();
    const rows = await reader.select(
      'SELECT EndpointCode, Package, Endpoint FROM def_api_metric ORDER BY EndpointCode DESC',
      [],
    );
    await reader.close();
    expect(rows).toEqual([
      { EndpointCode: 'X\nY', Package: 'Z', Endpoint: '/send' },
      { EndpointCode: 'X\nY', Package: 'Z', Endpoint: '/send' },
      { EndpointCode: 'X', Package: 'Y\nZ', Endpoint: '/send' },
    ]);
  });
});

describe('the fetch client’s attribute cache', () => {
  it('gives (GET, none, "1 x") and ("GET ", 1, "x") their own attributes', () => {
    const origins = new OriginSeries(10);
    const first = origins.attributes('http://a.example', 'GET', undefined, '1 x');
    const second = origins.attributes('http://a.example', 'GET ', 1, 'x');
    expect(second).not.toBe(first);
    expect(second[ATTR_HTTP_REQUEST_METHOD]).toBe('GET ');
    expect(second['http.response.status_code']).toBe(1);
    expect(second['error.type']).toBe('x');
    expect(origins.attributes('http://a.example', 'GET', undefined, '1 x')).toBe(first);
  });
});
