import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type MetricsHandle,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  startMetrics,
} from '../../src/sdk/index.js';
import { acceptsGzip, negotiateFormat } from '../../src/sdk/prometheus/negotiate.js';
import { parseExposition } from '../support/exposition-parser.js';

/** The Accept header a Prometheus server sends on every scrape. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=0.0.4;q=0.3,*/*;q=0.1';

async function start(prometheus: Record<string, unknown> = {}, cardinalityLimit?: number) {
  const handle = await startMetrics({
    registerGlobal: false,
    env: {},
    prometheus: { mode: 'handler', ...prometheus },
    cardinalityLimit,
  });
  const handler = handle.prometheus?.requestHandler;
  if (handler === undefined) throw new Error('no request handler');
  const server = createServer(handler);
  onTestFinished(async () => {
    await handle.shutdown();
    await new Promise((resolve) => server.close(resolve));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { handle, port: (server.address() as AddressInfo).port };
}

/** An observable gauge whose callback takes `ms` milliseconds, so collections take that long. */
function slowGauge(handle: MetricsHandle, ms: number, onCollect = () => {}): void {
  handle.meterProvider
    .getMeter('m')
    .createObservableGauge('slow')
    .addCallback(async (result) => {
      onCollect();
      await sleep(ms);
      result.observe(1);
    });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('content negotiation', () => {
  it.each([
    [PROMETHEUS_ACCEPT, 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    [
      'text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.95',
      'openmetrics',
    ],
    ['application/openmetrics-text;version=1.0.0;q=0.2,text/plain;q=0.8', 'text'],
    ['application/openmetrics-text;version=0.0.1', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text,text/plain', 'text'],
    ['*/*', 'text'],
    ['text/html', 'text'],
    ['', 'text'],
    [undefined, 'text'],
  ])('Accept %j gets %s', (accept, format) => {
    expect(negotiateFormat(accept).id).toBe(format);
  });

  it.each([
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip;q=0.5, identity;q=1', false],
    ['identity', false],
    ['br', false],
    [undefined, false],
  ])('Accept-Encoding %j gzips: %s', (header, gzip) => {
    expect(acceptsGzip(header)).toBe(gzip);
  });
});

describe('the request handler over HTTP', () => {
  it('serves OpenMetrics gzipped to the headers Prometheus sends', async () => {
    const { handle, port } = await start();
    handle.meterProvider.getMeter('m').createCounter('jobs', { unit: '{job}' }).add(2, { k: 'v' });

    const answer = await get(port, { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' });

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers.vary).toBe('Accept, Accept-Encoding');
    const text = gunzipSync(answer.body).toString('utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE jobs counter\n');
    expect(parseExposition(text).samples.find((s) => s.name === 'jobs_total')?.value).toBe(2);
  });

  it('serves the text format 0.0.4 uncompressed without those headers, or with gzip;q=0', async () => {
    const { handle, port } = await start();
    handle.meterProvider.getMeter('m').createCounter('jobs').add(1);

    const variants: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'gzip;q=0', accept: 'text/plain' },
    ];
    for (const headers of variants) {
      const answer = await get(port, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(answer.body.toString()).toMatch(/^jobs_total\{otel_scope_name="m"\} 1$/m);
    }
  });

  it('answers HEAD with the headers only, and other methods 405', async () => {
    const { port } = await start();

    const head = await get(port, { accept: PROMETHEUS_ACCEPT }, 'HEAD');
    const post = await get(port, {}, 'POST');

    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(head.body.length).toBe(0);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('shares one collection between concurrent scrapes in both formats', async () => {
    const { handle, port } = await start();
    let collections = 0;
    slowGauge(handle, 50, () => collections++);

    const [answers] = await Promise.all([
      Promise.all([
        get(port),
        get(port, { accept: PROMETHEUS_ACCEPT }),
        get(port, { 'accept-encoding': 'gzip' }),
        get(port, { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' }),
      ]),
      handle.prometheus?.scrape(),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(collections).toBe(1);
    await get(port);
    expect(collections).toBe(2);
  });

  it('answers 503 with the reason when a scrape passes its timeout', async () => {
    const { handle, port } = await start();
    slowGauge(handle, 400);

    const answer = await get(port, { 'x-prometheus-scrape-timeout-seconds': '0.05' });

    expect(answer.status).toBe(503);
    expect(answer.body.toString()).toBe(
      "# opmeter: scrape timed out after 50 ms: raise prometheus.timeoutMs (and the job's " +
        'scrape_timeout), or expose fewer series (views, cardinalityLimit)\n',
    );
  });

  it('answers 503 with Retry-After beyond maxInFlight, and counts outcomes on its self-metrics', async () => {
    const { handle, port } = await start({ maxInFlight: 1 });
    slowGauge(handle, 200);

    const [first, second] = await Promise.all([get(port), sleep(50).then(() => get(port))]);
    await get(port, { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' });
    const text = (await handle.prometheus?.scrape()) ?? '';

    expect(first?.status).toBe(200);
    expect(second?.status).toBe(503);
    expect(second?.headers['retry-after']).toBe('1');
    expect(second?.body.toString()).toContain('1 scrapes are already in flight');
    const samples = parseExposition(text).samples;
    const count = (labels: Record<string, string>) =>
      samples.find(
        (s) =>
          s.name === 'opmeter_prometheus_scrape_duration_seconds_count' &&
          Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    expect(count({ opmeter_prometheus_outcome: 'rejected' })).toBe(1);
    expect(count({ opmeter_prometheus_outcome: 'ok', opmeter_prometheus_format: 'text' })).toBe(1);
    expect(
      count({
        opmeter_prometheus_outcome: 'ok',
        opmeter_prometheus_format: 'openmetrics',
        opmeter_prometheus_encoding: 'gzip',
      }),
    ).toBe(1);
    const body = samples.find(
      (s) =>
        s.name === 'opmeter_prometheus_scrape_body_size_bytes' &&
        s.labels.opmeter_prometheus_encoding === 'gzip',
    );
    expect(body?.value).toBeGreaterThan(100);
    expect(
      samples.find((s) => s.name === 'opmeter_prometheus_scrape_series')?.value,
    ).toBeGreaterThanOrEqual(2);
  });

  it('counts a scrape whose client went away as aborted and keeps serving', async () => {
    const { handle, port } = await start();
    slowGauge(handle, 150);
    const gone = request({ host: '127.0.0.1', port, path: '/metrics' });
    gone.on('error', () => {});
    gone.end();
    await sleep(40);
    gone.destroy();
    await sleep(200);

    const answer = await get(port);

    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toMatch(
      /^opmeter_prometheus_scrape_duration_seconds_count\{.*opmeter_prometheus_outcome="aborted".*\} 1$/m,
    );
  });

  it.each([
    ['gzip', { 'accept-encoding': 'gzip' }],
    ['identity', {}],
  ] as const)(
    'keeps the event loop turning while it renders and sends 10,000 histogram series (%s)',
    async (encoding, headers) => {
      const { handle, port } = await start({ scopeLabels: false }, 20_000);
      const histogram = handle.meterProvider.getMeter('m').createHistogram('load', {
        unit: 's',
        advice: {
          explicitBucketBoundaries: [
            0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
          ],
        },
      });
      for (let i = 0; i < 10_000; i++) histogram.record((i % 100) / 10, { route: `/r/${i}` });
      await handle.prometheus?.scrape();

      const delay = monitorEventLoopDelay({ resolution: 1 });
      let turns = 0;
      const ticker = setInterval(() => turns++, 1);
      delay.enable();
      const answer = await get(port, headers);
      delay.disable();
      clearInterval(ticker);

      const text =
        encoding === 'gzip' ? gunzipSync(answer.body).toString() : answer.body.toString();
      if (encoding === 'identity') {
        expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      }
      expect(text.match(/^load_seconds_bucket\{/gm)).toHaveLength(150_000);
      expect(turns).toBeGreaterThan(10);
      console.info(
        `10k histogram series (${encoding}): ${turns} timer turns during the scrape, longest stall ${(delay.max / 1e6).toFixed(1)} ms, ` +
          `body ${text.length} B, gzip ${answer.body.length} B`,
      );
    },
  );
});
