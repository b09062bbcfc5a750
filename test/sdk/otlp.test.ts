import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsHandle, type OtlpProtocol, startMetrics } from '../../src/sdk/index.js';
import {
  attributesOf,
  loadOtlpRequestType,
  metricsOf,
  type OtlpPoint,
  type OtlpReceiver,
  startOtlpReceiver,
} from '../support/otlp-receiver.js';

const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const requestType = loadOtlpRequestType();
const describeWithProtos = requestType === undefined ? describe.skip : describe;

async function startReceiver(): Promise<OtlpReceiver> {
  if (requestType === undefined) throw new Error('the OTLP definitions are not loaded');
  const receiver = await startOtlpReceiver(requestType);
  cleanups.push(() => receiver.close());
  return receiver;
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
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

function attributes(point: OtlpPoint): Record<string, string | number | boolean> {
  return attributesOf(point.attributes);
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

describeWithProtos('OTLP/HTTP push', () => {
  it.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ] as const)(
    'pushes %s with names, units, attributes, temporality and values',
    async (protocol, contentType) => {
      const receiver = await startReceiver();
      const handle = await start({
        serviceName: 'otlp-test',
        otlp: {
          endpoint: `${receiver.url}/v1/metrics`,
          headers: { 'x-api-key': 'secret' },
          ...(protocol === 'http/json' && { protocol: protocol as OtlpProtocol }),
        },
      });
      expect(handle.otlp?.protocol).toBe(protocol);
      const meter = handle.meterProvider.getMeter('opmeter/test', '1.2.3');
      meter
        .createCounter('event.received', { unit: '{event}', description: 'Events received.' })
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
      expect(first?.headers['content-type']).toBe(contentType);
      expect(first?.headers['content-encoding']).toBeUndefined();
      const resource = attributesOf(first?.body.resourceMetrics[0]?.resource.attributes ?? []);
      expect(resource['service.name']).toBe('otlp-test');
      expect(resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(first?.body.resourceMetrics[0]?.scopeMetrics[0]?.scope).toMatchObject({
        name: 'opmeter/test',
        version: '1.2.3',
      });
      const metrics = metricsOf(receiver.received);
      const counter = metrics.find((m) => m.name === 'event.received');
      expect(counter?.unit).toBe('{event}');
      expect(counter?.description).toBe('Events received.');
      expect(counter?.sum?.isMonotonic).toBe(true);
      expect(counter?.sum?.aggregationTemporality).toBe(2); // AGGREGATION_TEMPORALITY_CUMULATIVE
      const point = counter?.sum?.dataPoints[0];
      expect(point && attributes(point)).toEqual({ 'event.type': 'order.created' });
      expect(Number(point?.asInt ?? point?.asDouble)).toBe(7);
      const workflow = metrics.find((m) => m.name === 'workflow.duration');
      expect(workflow?.unit).toBe('s');
      expect(workflow?.histogram?.aggregationTemporality).toBe(2);
      const hp = workflow?.histogram?.dataPoints[0];
      expect(hp && attributes(hp)).toEqual({ 'workflow.code': 'WF1' });
      expect(Number(hp?.count)).toBe(2);
      expect(hp?.sum).toBe(5.5);
      expect(hp?.explicitBounds).toEqual([1, 10]);
      expect(hp?.bucketCounts?.map(Number)).toEqual([1, 1, 0]);
      expect(BigInt(hp?.timeUnixNano ?? 0)).toBeGreaterThanOrEqual(
        BigInt(hp?.startTimeUnixNano ?? 1),
      );
    },
  );

  it('compresses with gzip when asked, and the body still decodes', async () => {
    const receiver = await startReceiver();
    const handle = await start({
      otlp: { endpoint: `${receiver.url}/v1/metrics`, compression: 'gzip' },
    });
    const counter = handle.meterProvider.getMeter('t').createCounter('jobs.done');
    for (let i = 0; i < 200; i++) counter.add(1, { 'job.kind': `kind-${i}` });

    await handle.forceFlush();

    const first = receiver.received[0];
    expect(first?.headers['content-encoding']).toBe('gzip');
    const points = metricsOf(receiver.received).find((m) => m.name === 'jobs.done')?.sum
      ?.dataPoints;
    expect(points).toHaveLength(200);
  });

  it('reads endpoint, protocol, compression, per-signal headers, temporality and interval from OTEL_* variables', async () => {
    const receiver = await startReceiver();
    const handle = await start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=general',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=metrics',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        OTEL_METRIC_EXPORT_INTERVAL: '50',
      },
    });
    expect(handle.otlp).toEqual({
      url: `${receiver.url}/v1/metrics`,
      protocol: 'http/protobuf',
      exportIntervalMs: 50,
    });
    handle.meterProvider.getMeter('t').createCounter('jobs.done').add(1);

    await until(() => receiver.received.length > 0, 5000, 'a periodic push');

    const headers = receiver.received[0]?.headers;
    expect(headers?.authorization).toBe('Bearer abc');
    expect(headers?.['x-tenant']).toBe('metrics');
    expect(headers?.['content-type']).toBe('application/x-protobuf');
    expect(headers?.['content-encoding']).toBe('gzip');
    const counter = metricsOf(receiver.received).find((m) => m.name === 'jobs.done');
    expect(counter?.sum?.aggregationTemporality).toBe(1); // AGGREGATION_TEMPORALITY_DELTA
  });

  it('gives every process its own service.instance.id', async () => {
    const receiver = await startReceiver();
    const script = [
      `import { startMetrics } from ${JSON.stringify(join(import.meta.dirname, '../../dist/src/sdk/index.js'))};`,
      'const handle = await startMetrics({ serviceName: "replica", registerGlobal: false });',
      'handle.meterProvider.getMeter("t").createCounter("jobs.done").add(1);',
      'await handle.shutdown();',
    ].join('\n');
    const env = {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'otlp',
    };
    const child = () => run(process.execPath, ['--input-type=module', '-e', script], { env });

    await Promise.all([child(), child()]);

    expect(receiver.received).toHaveLength(2);
    const resources = receiver.received.map((r) =>
      attributesOf(r.body.resourceMetrics[0]?.resource.attributes ?? []),
    );
    const ids = resources.map((r) => r['service.instance.id']);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(resources[0]?.['process.pid']).not.toBe(resources[1]?.['process.pid']);
    for (const resource of resources) {
      expect(resource).toMatchObject({
        'service.name': 'replica',
        'host.name': expect.any(String),
        'host.arch': expect.any(String),
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
      });
      expect(resource['process.command_args']).toBeUndefined();
    }
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
