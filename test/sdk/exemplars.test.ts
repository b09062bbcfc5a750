import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import { EXEMPLARS } from '../../src/core/exemplars/default-reservoir.js';
import { type MetricsHandle, type StartMetricsOptions, startMetrics } from '../../src/sdk/index.js';

const provider = new TracerProvider({ sampler: new AlwaysOnSampler() });
const tracer = provider.getTracer('test');
const handles: MetricsHandle[] = [];

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.shutdown();
  EXEMPLARS.clear();
});

async function start(options: StartMetricsOptions = {}) {
  const handle = await startMetrics({
    registerGlobal: false,
    env: {},
    prometheus: { mode: 'handler' },
    ...options,
  });
  handles.push(handle);
  const workflows = new WorkflowInstrumentation({
    meterProvider: handle.meterProvider,
    buckets: [1, 10, 100],
  });
  return { handle, workflows };
}

/** Runs one 2.5 s (measured) workflow inside a sampled span; returns that span's ids. */
async function runInSpan(workflows: WorkflowInstrumentation) {
  return tracer.startActiveSpan('nightly', async (span) => {
    await workflows.run('NIGHTLY', async (run) => run, { package: 'billing' });
    workflows
      .start('MEASURED', { package: 'billing' })
      .endMeasured({ durationSeconds: 2.5, success: true });
    span.end();
    return span.spanContext();
  });
}

// Their validity is checked by a real Prometheus with exemplar storage ingesting the demo's
// OpenMetrics scrapes (test/demo/demo-prometheus.test.ts): promtool 2.42 reads OpenMetrics with
// the text-format parser, which does not know exemplars.
describe('exemplars on the Prometheus endpoint', () => {
  it('puts the trace and span of a measurement on its OpenMetrics bucket line, and nowhere in 0.0.4', async () => {
    const { handle, workflows } = await start();
    const span = await runInSpan(workflows);

    const body = (await handle.prometheus?.scrape({ format: 'openmetrics' })) ?? '';
    const exemplar = `# {trace_id="${span.traceId}",span_id="${span.spanId}"} 2.5 `;
    const line = body
      .split('\n')
      .find((l) => l.includes('workflow_code="MEASURED"') && l.includes(exemplar));
    expect(line).toMatch(/^workflow_duration_seconds_bucket\{.*le="10\.0".*\} 1 # \{/);
    expect(body.split('\n').filter((l) => l.includes(span.traceId)).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(await handle.prometheus?.scrape()).not.toContain(span.traceId);
  });

  it('keeps none with exemplars: false, or outside a span', async () => {
    const off = await start({ exemplars: false });
    const span = await runInSpan(off.workflows);
    expect(await off.handle.prometheus?.scrape({ format: 'openmetrics' })).not.toContain(
      span.traceId,
    );
    await off.handle.shutdown();

    const on = await start();
    on.workflows
      .start('MEASURED', { package: 'billing' })
      .endMeasured({ durationSeconds: 2.5, success: true });
    expect(await on.handle.prometheus?.scrape({ format: 'openmetrics' })).not.toContain('trace_id');
  });
});

describe('the span context the exemplar comes from', () => {
  it('is the active one when the operation ends', async () => {
    const { handle, workflows } = await start();
    await tracer.startActiveSpan('outer', async (outer) => {
      await workflows.run('NIGHTLY', async () => undefined, { package: 'billing' });
      outer.end();
    });
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(await handle.prometheus?.scrape({ format: 'openmetrics' })).toContain('trace_id="');
  });
});
