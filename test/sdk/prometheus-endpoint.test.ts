import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EndpointStoppedError,
  type MetricsHandle,
  OpmeterConfigError,
  startMetrics,
} from '../../src/sdk/index.js';
import { prometheusBinary } from '../support/prometheus-server.js';

const promtool = prometheusBinary('promtool');
const handles: MetricsHandle[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function start(options: Parameters<typeof startMetrics>[0]): Promise<MetricsHandle> {
  const handle = await startMetrics({ registerGlobal: false, env: {}, ...options });
  handles.push(handle);
  return handle;
}

/** Records one of each kind of instrument the issue names. */
function recordWorkload(handle: MetricsHandle): void {
  const meter = handle.meterProvider.getMeter('opmeter/test');
  const workflow = meter.createHistogram('workflow.duration', {
    unit: 's',
    description: 'Duration of workflow runs',
    advice: { explicitBucketBoundaries: [0.1, 1, 10, 60] },
  });
  workflow.record(0.5, { 'workflow.code': 'WF1', package: 'billing', outcome: 'success' });
  workflow.record(42, { 'workflow.code': 'WF1', package: 'billing', outcome: 'failure' });
  meter
    .createHistogram('event.processing.duration', { unit: 's', description: 'Event latency' })
    .record(0.0002, { 'event.type': 'order.created' });
  meter
    .createCounter('event.received', { unit: '{event}', description: 'Events received' })
    .add(3, { 'event.type': 'order.created' });
  meter
    .createHistogram('http.server.request.duration', { unit: 's', description: 'HTTP latency' })
    .record(0.02, { 'http.request.method': 'GET', 'http.response.status_code': 200 });
  meter
    .createCounter('batch.file.size', { unit: 'By', description: 'Bytes read' })
    .add(1024, { 'batch.name': 'daily' });
  meter
    .createUpDownCounter('event.queue.depth', { unit: '{event}', description: 'Queued events' })
    .add(5);
  meter.createGauge('process.cpu.utilization', { unit: '1', description: 'CPU use' }).record(0.25);
}

async function scrapeOverHttp(
  url: string,
): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

describe('Prometheus endpoint', () => {
  it('serves Prometheus names with base units and _total over HTTP', async () => {
    const handle = await start({ prometheus: { port: 0 } });
    recordWorkload(handle);
    const url = handle.prometheus?.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const { status, type, body } = await scrapeOverHttp(url);

    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain('# TYPE workflow_duration_seconds histogram');
    expect(body).toMatch(
      /^workflow_duration_seconds_bucket\{workflow_code="WF1",package="billing",outcome="success",otel_scope_name="opmeter\/test",le="1"\} 1$/m,
    );
    expect(body).toMatch(/^workflow_duration_seconds_sum\{.*outcome="failure".*\} 42$/m);
    expect(body).toMatch(/^workflow_duration_seconds_count\{.*outcome="failure".*\} 1$/m);
    expect(body).toContain('# TYPE event_processing_duration_seconds histogram');
    expect(body).toMatch(/^event_processing_duration_seconds_bucket\{event_type="order.created"/m);
    expect(body).toMatch(/^event_received_total\{event_type="order.created",.*\} 3$/m);
    expect(body).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(body).toMatch(/^batch_file_size_bytes_total\{.*\} 1024$/m);
    expect(body).toMatch(/^event_queue_depth\{.*\} 5$/m);
    expect(body).toMatch(/^process_cpu_utilization_ratio\{.*\} 0.25$/m);
    expect(body).toContain('# UNIT workflow_duration_seconds seconds');
    expect(body).not.toMatch(/^# UNIT \S+ \{/m);
    expect(body).not.toMatch(/^workflow_duration(_bucket|_sum|_count)\{/m);
  });

  it.skipIf(promtool === undefined)('passes promtool check metrics with no findings', async () => {
    const handle = await start({ prometheus: { port: 0 } });
    recordWorkload(handle);
    const { body } = await scrapeOverHttp(handle.prometheus?.url ?? '');

    const check = spawnSync(promtool ?? 'promtool', ['check', 'metrics'], {
      input: body,
      encoding: 'utf8',
    });

    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('mounts requestHandler on the application’s own node:http server', async () => {
    const handle = await start({ prometheus: { mode: 'handler' } });
    recordWorkload(handle);
    const handler = handle.prometheus?.requestHandler;
    expect(handle.prometheus?.url).toBeUndefined();
    const app = createServer((request, response) => {
      if (request.url === '/internal/metrics' && handler) handler(request, response);
      else response.writeHead(200).end('app');
    });
    servers.push(app);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

    const scraped = await scrapeOverHttp(`${base}/internal/metrics`);
    const post = await fetch(`${base}/internal/metrics`, { method: 'POST' });

    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('workflow_duration_seconds_bucket');
    expect(await (await fetch(`${base}/`)).text()).toBe('app');
    expect(post.status).toBe(405);
  });

  it('answers 503 with the reason to scrapes during and after shutdown, never 500', async () => {
    const handle = await startMetrics({
      registerGlobal: false,
      env: {},
      prometheus: { mode: 'handler' },
    });
    recordWorkload(handle);
    const handler = handle.prometheus?.requestHandler;
    const app = createServer((request, response) => handler?.(request, response));
    servers.push(app);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/metrics`;
    expect((await fetch(url)).status).toBe(200);

    const during = fetch(url);
    const stopping = handle.shutdown();
    const answered = await during;
    await stopping;
    const after = await fetch(url);

    for (const response of [answered, after]) {
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(
        /^# opmeter: the metrics of this process are shut down/,
      );
    }
    await expect(handle.prometheus?.scrape()).rejects.toBeInstanceOf(EndpointStoppedError);
  });

  it('refuses scrapes that would join a rendering still under way at shutdown, HEAD too', async () => {
    const handle = await startMetrics({
      registerGlobal: false,
      env: {},
      prometheus: { mode: 'handler' },
    });
    const meter = handle.meterProvider.getMeter('load');
    for (let k = 0; k < 15; k++) {
      const counter = meter.createCounter(`load.c${k}`);
      for (let i = 0; i < 1999; i++) counter.add(1, { id: `i${i}` });
    }
    const app = createServer((request, response) =>
      handle.prometheus?.requestHandler(request, response),
    );
    servers.push(app);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/metrics`;
    const under = handle.prometheus?.scrape() ?? Promise.reject(new Error('no endpoint'));
    await new Promise((resolve) => setImmediate(resolve));
    await handle.shutdown();

    const joined = expect(
      handle.prometheus?.scrape({ format: 'openmetrics' }),
    ).rejects.toBeInstanceOf(EndpointStoppedError);
    const head = await fetch(url, { method: 'HEAD' });
    const get = await fetch(url);

    await joined;
    expect([head.status, get.status]).toEqual([503, 503]);
    // the scrape asked for before the shutdown still gets its exposition
    expect(await under).toContain('load_c14_total');
  });

  it('answers 404 off the configured path', async () => {
    const handle = await start({ prometheus: { port: 0, path: '/custom' } });
    const url = handle.prometheus?.url ?? '';
    expect(url).toMatch(/\/custom$/);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace('/custom', '/metrics'))).status).toBe(404);
  });

  it('rejects with a clear OpmeterConfigError when the port is in use', async () => {
    const first = await start({ prometheus: { port: 0 } });
    const port = Number(new URL(first.prometheus?.url ?? '').port);

    const second = startMetrics({ registerGlobal: false, env: {}, prometheus: { port } });

    await expect(second).rejects.toThrow(OpmeterConfigError);
    await expect(second).rejects.toThrow(
      `port ${port} on 127.0.0.1 is in use: set prometheus.port or OTEL_EXPORTER_PROMETHEUS_PORT, ` +
        'or mount requestHandler on your server',
    );
  });

  it('takes host and port from OTEL_EXPORTER_PROMETHEUS_HOST / _PORT', async () => {
    const probe = await start({ prometheus: { port: 0 } });
    const port = Number(new URL(probe.prometheus?.url ?? '').port);
    await probe.shutdown();

    const handle = await start({
      prometheus: true,
      env: {
        OTEL_EXPORTER_PROMETHEUS_HOST: 'localhost',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      },
    });

    expect(handle.prometheus?.url).toMatch(new RegExp(`:${port}/metrics$`));
    expect((await fetch(`http://localhost:${port}/metrics`)).status).toBe(200);
  });

  it('puts service.name from the environment on target_info', async () => {
    const handle = await start({
      prometheus: { mode: 'handler' },
      env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment=test' },
    });

    const body = (await handle.prometheus?.scrape()) ?? '';

    expect(body).toMatch(/^target_info\{.*service_name="from-attrs".*\} 1$/m);
    expect(body).toMatch(/^target_info\{.*deployment_environment="test".*\} 1$/m);
  });
});
