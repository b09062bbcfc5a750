import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsHandle, startMetrics } from '../../src/sdk/index.js';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}
interface OtlpPoint {
  attributes: OtlpAttribute[];
  asInt?: number | string;
  asDouble?: number;
  count?: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  scale?: number;
}
interface OtlpMetric {
  name: string;
  unit: string;
  sum?: { dataPoints: OtlpPoint[]; isMonotonic: boolean; aggregationTemporality: number };
  histogram?: { dataPoints: OtlpPoint[] };
  exponentialHistogram?: { dataPoints: OtlpPoint[] };
}
interface OtlpRequest {
  resourceMetrics: {
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: { scope: { name: string }; metrics: OtlpMetric[] }[];
  }[];
}
interface Received {
  headers: IncomingMessage['headers'];
  body: OtlpRequest;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An OTLP/HTTP JSON receiver that records every request. */
async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await listen(server);
  cleanups.push(() => closeServer(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that refuses connections: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(options: Parameters<typeof startMetrics>[0]): Promise<MetricsHandle> {
  const handle = await startMetrics({ registerGlobal: false, env: {}, ...options });
  cleanups.push(() => handle.shutdown({ deadlineMs: 2000 }).catch(() => undefined));
  return handle;
}

function metricsOf(received: Received[]): OtlpMetric[] {
  return received.flatMap((r) =>
    r.body.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)),
  );
}

function attributes(point: OtlpPoint): Record<string, string | number> {
  return Object.fromEntries(
    point.attributes.map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]),
  );
}

/** Counts diag errors: the periodic reader reports each failed export there. */
function countExportErrors(): { count: () => number } {
  let count = 0;
  const logger: DiagLogger = {
    error: () => {
      count++;
    },
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(logger, DiagLogLevel.ERROR);
  cleanups.push(async () => diag.disable());
  return { count: () => count };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('OTLP/HTTP push', () => {
  it('pushes names, units, attributes and values that a receiver can decode', async () => {
    const receiver = await startReceiver();
    const handle = await start({
      serviceName: 'otlp-test',
      otlp: { endpoint: `${receiver.url}/v1/metrics`, headers: { 'x-api-key': 'secret' } },
    });
    const meter = handle.meterProvider.getMeter('opmeter/test');
    meter
      .createCounter('event.received', { unit: '{event}' })
      .add(7, { 'event.type': 'order.created' });
    const histogram = meter.createHistogram('workflow.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [1, 10] },
    });
    histogram.record(0.5, { 'workflow.code': 'WF1' });
    histogram.record(5, { 'workflow.code': 'WF1' });

    await handle.forceFlush();

    expect(receiver.received.length).toBeGreaterThan(0);
    const first = receiver.received[0];
    expect(first?.headers['x-api-key']).toBe('secret');
    expect(first?.headers['content-type']).toBe('application/json');
    const resource = first?.body.resourceMetrics[0]?.resource.attributes ?? [];
    expect(resource).toContainEqual({ key: 'service.name', value: { stringValue: 'otlp-test' } });
    const metrics = metricsOf(receiver.received);
    const counter = metrics.find((m) => m.name === 'event.received');
    expect(counter?.unit).toBe('{event}');
    expect(counter?.sum?.isMonotonic).toBe(true);
    const point = counter?.sum?.dataPoints[0];
    expect(point && attributes(point)).toEqual({ 'event.type': 'order.created' });
    expect(Number(point?.asInt ?? point?.asDouble)).toBe(7);
    const workflow = metrics.find((m) => m.name === 'workflow.duration');
    expect(workflow?.unit).toBe('s');
    const hp = workflow?.histogram?.dataPoints[0];
    expect(hp && attributes(hp)).toEqual({ 'workflow.code': 'WF1' });
    expect(Number(hp?.count)).toBe(2);
    expect(hp?.sum).toBe(5.5);
    expect(hp?.explicitBounds).toEqual([1, 10]);
    expect(hp?.bucketCounts?.map(Number)).toEqual([1, 1, 0]);
  });

  it('reads endpoint, headers, temporality and interval from OTEL_* variables', async () => {
    const receiver = await startReceiver();
    const handle = await start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        OTEL_METRIC_EXPORT_INTERVAL: '50',
      },
    });
    expect(handle.otlp).toEqual({ url: `${receiver.url}/v1/metrics`, exportIntervalMs: 50 });
    handle.meterProvider.getMeter('t').createCounter('jobs.done').add(1);

    await until(() => receiver.received.length > 0, 5000, 'a periodic push');

    expect(receiver.received[0]?.headers.authorization).toBe('Bearer abc');
    const counter = metricsOf(receiver.received).find((m) => m.name === 'jobs.done');
    expect(counter?.sum?.aggregationTemporality).toBe(1); // AGGREGATION_TEMPORALITY_DELTA
  });

  it('sends base-2 exponential histograms when asked', async () => {
    const receiver = await startReceiver();
    const handle = await start({
      otlp: { endpoint: `${receiver.url}/v1/metrics`, histogram: { kind: 'exponential' } },
    });
    const histogram = handle.meterProvider
      .getMeter('t')
      .createHistogram('event.processing.duration', {
        unit: 's',
      });
    for (const value of [0.0001, 0.001, 0.01]) histogram.record(value);

    await handle.forceFlush();

    const metric = metricsOf(receiver.received).find((m) => m.name === 'event.processing.duration');
    expect(metric?.histogram).toBeUndefined();
    const point = metric?.exponentialHistogram?.dataPoints[0];
    expect(Number(point?.count)).toBe(3);
    expect(typeof point?.scale).toBe('number');
  });

  it('neither blocks nor crashes when the collector refuses connections, and shutdown keeps its deadline', async () => {
    const errors = countExportErrors();
    const port = await closedPort();
    const handle = await start({
      otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, exportIntervalMs: 20 },
    });
    const counter = handle.meterProvider.getMeter('t').createCounter('jobs.done');

    const started = performance.now();
    for (let i = 0; i < 10_000; i++) counter.add(1, { shard: i % 10 });
    expect(performance.now() - started).toBeLessThan(1000);
    await until(() => errors.count() >= 5, 10_000, 'five failed exports');

    const shutdownStarted = performance.now();
    await handle.shutdown({ deadlineMs: 1000 }).catch(() => undefined);
    expect(performance.now() - shutdownStarted).toBeLessThan(1200);
  });

  it('shutdown returns within its deadline when the collector accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const blackHole = createTcpServer((socket) => sockets.push(socket));
    await listen(blackHole);
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    });
    const { port } = blackHole.address() as AddressInfo;
    const handle = await start({
      otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, exportTimeoutMs: 30_000 },
    });
    handle.meterProvider.getMeter('t').createCounter('jobs.done').add(1);
    countExportErrors();

    const started = performance.now();
    const outcome = await handle.shutdown({ deadlineMs: 300 }).then(
      () => 'resolved',
      (error: Error) => error.name,
    );

    expect(performance.now() - started).toBeLessThan(600);
    expect(outcome).toBe('DeadlineError');
  });

  it('keeps memory bounded over many failed export cycles', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const errors = countExportErrors();
    const port = await closedPort();
    const handle = await start({
      otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, exportIntervalMs: 10 },
      cardinalityLimit: 200,
    });
    const histogram = handle.meterProvider.getMeter('t').createHistogram('work.duration', {
      unit: 's',
    });
    const record = (n: number): void => {
      for (let i = 0; i < n; i++) histogram.record(i / 1000, { key: `k${i % 1000}` });
    };
    record(5000);
    await until(() => errors.count() >= 20, 10_000, 'warm-up exports');
    gc();
    const baseline = process.memoryUsage().heapUsed;

    for (let cycle = 0; cycle < 10; cycle++) {
      const target = errors.count() + 20;
      record(5000);
      await until(() => errors.count() >= target, 10_000, 'more failed exports');
    }
    gc();
    const growth = process.memoryUsage().heapUsed - baseline;

    expect(errors.count()).toBeGreaterThanOrEqual(220);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
