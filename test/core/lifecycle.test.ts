import { createServer } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  FetchInstrumentation,
  instrumentServer,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import {
  BatchInstrumentation,
  METRIC_BATCH_FILE_DURATION,
} from '../../instrumentations/batch/index.js';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import {
  EventInstrumentation,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_EVENT_QUEUE_DEPTH,
} from '../../instrumentations/event/index.js';
import {
  METRIC_MODULE_OPERATION_DURATION,
  ModuleInstrumentation,
} from '../../instrumentations/module/index.js';
import {
  METRIC_NOTIFY_DURATION,
  NotifyInstrumentation,
} from '../../instrumentations/notify/index.js';
import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import {
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { VERSION } from '../../src/version.js';
import { close, listen } from '../api/support.js';
import { createTestMeterProvider, TestMetricReader } from '../support/metric-reader.js';

/** One instrumentation of every operation domain, built before any provider exists. */
function everyDomain() {
  return {
    workflows: new WorkflowInstrumentation(),
    events: new EventInstrumentation(),
    api: new ApiInstrumentation(),
    notify: new NotifyInstrumentation(),
    batches: new BatchInstrumentation(),
    imports: new ModuleInstrumentation({ module: 'dataimport' }),
    client: new FetchInstrumentation({ enabled: false }),
    runtime: new RuntimeInstrumentation({ enabled: false, gc: false }),
    custom: new CustomMetrics({ enabled: false }),
  };
}

/** Records one operation in each domain (one HTTP request through a real server). */
async function recordOneOfEach(domains: ReturnType<typeof everyDomain>): Promise<void> {
  domains.workflows.start('NIGHTLY').end();
  domains.events.run('order.created', () => 1);
  domains.notify.start('WELCOME', { channel: 'email' }).end();
  domains.batches.start('WAVES').recordFile('a.csv', { durationSeconds: 1 });
  domains.imports.start('import_file').end();
  domains.custom.timing('report.render', 0.25);
  const server = createServer((_req, res) => res.end('ok'));
  instrumentServer(server, domains.api);
  const base = await listen(server);
  await (await fetch(base)).text();
  await close(server);
}

const DURATIONS = [
  METRIC_WORKFLOW_DURATION,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_EVENT_PROCESSING_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_NOTIFY_DURATION,
  METRIC_BATCH_FILE_DURATION,
  METRIC_MODULE_OPERATION_DURATION,
  'report.render',
];

let sdk: NodeSDK | undefined;

afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  metrics.disable();
});

describe('the OpenTelemetry instrumentation lifecycle', () => {
  it('a real NodeSDK takes every instrumentation in instrumentations: [...] (enabling those built disabled) and they record into its provider', async () => {
    const domains = everyDomain();
    const reader = new TestMetricReader();
    sdk = new NodeSDK({
      serviceName: 'lifecycle-test',
      autoDetectResources: false,
      metricReaders: [reader],
      traceExporter: undefined,
      spanProcessors: [],
      instrumentations: Object.values(domains),
    });
    sdk.start();
    await recordOneOfEach(domains);
    expect(domains.client.isEnabled && domains.runtime.isEnabled).toBe(true);
    expect(domains.custom.isEnabled && domains.custom.enabled).toBe(true);
    const { resourceMetrics } = await reader.collect();
    const scopes = resourceMetrics.scopeMetrics.map((s) => s.scope.name);
    domains.client.disable();
    domains.runtime.disable();
    const all = [
      'workflow',
      'event',
      'api',
      'notify',
      'batch',
      'module',
      'http-client',
      'runtime',
      'custom',
    ];
    for (const domain of all) {
      expect(scopes).toContain(`opmeter/${domain}`);
    }
    const collected = new Map(
      resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => [m.descriptor.name, m])),
    );
    for (const name of DURATIONS) {
      const points = collected.get(name)?.dataPoints ?? [];
      expect(
        points.map((p) => (p.value as Histogram).count),
        name,
      ).toEqual([1]);
    }
  });

  it('registerInstrumentations() sets the provider, and its unregister function disables', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation();
    const events = new EventInstrumentation();
    const custom = new CustomMetrics();
    custom.increment('orders.created', 2, { channel: 'web' });
    custom.observe('pool.size', () => 4);
    let reads = 0;
    events.observeQueueDepth(() => {
      reads++;
      return 7;
    });
    const unregister = registerInstrumentations({
      instrumentations: [workflows, events, custom],
      meterProvider: otel.meterProvider,
    });
    custom.increment('orders.created', 3, { channel: 'web' });
    expect((await otel.point('orders.created', { channel: 'web' })).value).toBe(3);
    expect((await otel.point('pool.size')).value).toBe(4);
    expect(custom.snapshot().counters['orders.created']).toEqual([
      { tags: { channel: 'web' }, value: 5 },
    ]);
    const run = workflows.start('LONG');
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE)).value).toBe(1);
    expect((await otel.point(METRIC_EVENT_QUEUE_DEPTH)).value).toBe(7);
    run.end();
    unregister();
    expect(workflows.isEnabled).toBe(false);
    expect(custom.isEnabled || custom.enabled).toBe(false);
    custom.increment('orders.created', 100, { channel: 'web' });
    workflows.start('WHILE_OFF').end();
    const counts = (await otel.metric(METRIC_WORKFLOW_DURATION)).dataPoints.map(
      (p) => p.attributes['workflow.code'],
    );
    expect(counts).toEqual(['LONG']);
    const readsBefore = reads;
    await otel.metrics();
    expect(reads).toBe(readsBefore);
    expect((await otel.point('orders.created', { channel: 'web' })).value).toBe(3);
    workflows.enable();
    custom.enable();
    custom.increment('orders.created', 1, { channel: 'web' });
    expect((await otel.point('orders.created', { channel: 'web' })).value).toBe(4);
    workflows.start('AGAIN').end();
    expect(
      (await otel.point<Histogram>(METRIC_WORKFLOW_DURATION, { 'workflow.code': 'AGAIN' })).value
        .count,
    ).toBe(1);
  });

  it('names itself opmeter/<domain> with opmeter’s version and defaults enabled to true', () => {
    const workflows = new WorkflowInstrumentation({ defaultPackage: 'billing' });
    expect(workflows.instrumentationName).toBe('opmeter/workflow');
    expect(workflows.instrumentationVersion).toBe(VERSION);
    expect(workflows.getConfig()).toEqual({ enabled: true, defaultPackage: 'billing' });
    const off = new WorkflowInstrumentation({ enabled: false });
    expect(off.isEnabled).toBe(false);
    const custom = new CustomMetrics({ maxMetrics: 5 });
    expect(custom.instrumentationName).toBe('opmeter/custom');
    expect(custom.getConfig()).toEqual({ enabled: true, maxMetrics: 5 });
  });

  it('CustomMetrics: setConfig() refuses new limits or definitions, then moves every metric to the new provider', async () => {
    const custom = new CustomMetrics({ meterProvider: createTestMeterProvider().meterProvider });
    custom.timing('report.render', 0.5);
    expect(() => custom.setConfig({ maxMetrics: 0 })).toThrow(
      /setConfig\(\) cannot change maxMetrics, which is read once at construction/,
    );
    expect(() => custom.setConfig({ definitions: { t: { kind: 'timing', unit: 'ms' } } })).toThrow(
      /setConfig\(\) cannot change definitions/,
    );
    expect(custom.getConfig().maxMetrics).toBeUndefined();
    const otel = createTestMeterProvider();
    custom.setConfig({ meterProvider: otel.meterProvider });
    custom.timing('report.render', 1.5);
    const point = await otel.point<Histogram>('report.render');
    expect(point.value.count).toBe(1);
    expect(point.value.sum).toBe(1.5);
    expect(custom.snapshot().timings['report.render']).toMatchObject([{ count: 2 }]);
  });

  it('setConfig() re-creates the instruments (new provider, new buckets); an invalid one throws and changes nothing', async () => {
    const first = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: first.meterProvider });
    expect(() => workflows.setConfig({ buckets: [2, 1] })).toThrow(/sorted ascending/);
    expect(workflows.getConfig().buckets).toBeUndefined();
    const otel = createTestMeterProvider();
    workflows.setConfig({ meterProvider: otel.meterProvider, buckets: [1, 2, 3], slo: [10] });
    workflows.start('W').end();
    const p = await otel.point<Histogram>(METRIC_WORKFLOW_DURATION);
    expect(p.value.buckets.boundaries).toEqual([1, 2, 3, 10]);
  });
});
