import { spawnSync } from 'node:child_process';
import { diag } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { emptyResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  OpmeterConfigError,
  resolveConfig,
  type StartMetricsOptions,
} from '../../src/sdk/index.js';
import {
  type ExpositionAdjustment,
  ExpositionEngine,
  type Rendering,
} from '../../src/sdk/prometheus/exposition/engine.js';
import type { ExemplarSource } from '../../src/sdk/prometheus/exposition/exemplars.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT } from '../../src/sdk/prometheus/exposition/format.js';
import { SeriesCache } from '../../src/sdk/prometheus/exposition/series-cache.js';
import { prometheusName } from '../../src/sdk/prometheus/names.js';
import { parseExposition, sampleKey } from '../support/exposition-parser.js';
import { TestMetricReader } from '../support/metric-reader.js';
import { prometheusBinary } from '../support/prometheus-server.js';

const promtool = prometheusBinary('promtool');

afterEach(() => vi.restoreAllMocks());

function provider(attributes: Record<string, string> = { 'service.name': 'exposition-test' }) {
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes(attributes),
    readers: [reader],
  });
  const collect = async (): Promise<ResourceMetrics> => (await reader.collect()).resourceMetrics;
  return { meterProvider, collect };
}

async function render(
  collected: ResourceMetrics,
  options: { scopeLabels?: boolean; exemplars?: ExemplarSource } = {},
  onAdjusted?: (adjustment: ExpositionAdjustment) => void,
) {
  const engine = new ExpositionEngine({
    scopeLabels: options.scopeLabels ?? true,
    ...options,
    onAdjusted,
  });
  const text = bodyOf(await engine.render(collected, TEXT_FORMAT));
  const openMetrics = bodyOf(await engine.render(collected, OPENMETRICS_FORMAT));
  return { engine, text, openMetrics };
}

/** The text of a rendering. */
function bodyOf(rendering: Rendering): string {
  return rendering.chunks.join('');
}

/** The stock serializer over the same data, renamed as opmeter names metrics. */
function stock(collected: ResourceMetrics): string {
  const rename = (metric: MetricData): MetricData => {
    const { name, unit } = prometheusName(metric);
    return { ...metric, descriptor: { ...metric.descriptor, name, unit } };
  };
  return new PrometheusSerializer().serialize({
    resource: collected.resource,
    scopeMetrics: collected.scopeMetrics.map((scope) => ({
      scope: scope.scope,
      metrics: scope.metrics.map(rename),
    })),
  });
}

function checkMetrics(body: string): { status: number | null; output: string } {
  const check = spawnSync(promtool ?? 'promtool', ['check', 'metrics'], {
    input: body,
    encoding: 'utf8',
  });
  return { status: check.status, output: check.stdout + check.stderr };
}

/** One of each instrument kind, with attribute values of every type and ones needing escapes. */
function recordWorkload(meterProvider: MeterProvider): void {
  const meter = meterProvider.getMeter('opmeter/test', '1.2.3');
  const histogram = meter.createHistogram('workflow.duration', {
    unit: 's',
    description: 'Duration of workflow runs',
    advice: { explicitBucketBoundaries: [0.005, 0.1, 1, 10, 60, 1e-7].sort((a, b) => a - b) },
  });
  histogram.record(0.5, { 'workflow.code': 'WF1', outcome: 'success' });
  histogram.record(42, { 'workflow.code': 'WF1', outcome: 'failure' });
  histogram.record(0.00000005, { 'workflow.code': 'quote " backslash \\ newline \n end' });
  histogram.record(3);
  const counter = meter.createCounter('event.received', { unit: '{event}', description: 'Events' });
  counter.add(3, { 'event.type': 'order.created', retried: false, attempt: 2 });
  counter.add(5, { 'event.type': 'order.paid', tags: ['a', 'b'] });
  counter.add(1e22, { 'event.type': 'huge' });
  meter.createCounter('batch.bytes.read', { unit: 'By' }).add(1024.5, { 'batch.name': 'daily' });
  meter.createUpDownCounter('queue.depth', { unit: '{item}' }).add(-5, { queue: 'q1' });
  const gauge = meter.createGauge('cpu.utilization', { unit: '1', description: 'CPU use' });
  gauge.record(0.25, { cpu: '0' });
  gauge.record(Number.NaN, { cpu: '1' });
  gauge.record(Number.POSITIVE_INFINITY, { cpu: '2' });
  gauge.record(Number.NEGATIVE_INFINITY, { cpu: '3' });
  meterProvider
    .getMeter('opmeter/other')
    .createCounter('event.received', { unit: '{event}' })
    .add(7, { 'event.type': 'order.created' });
}

describe('exposition engine', () => {
  it('renders the same 0.0.4 samples as the stock PrometheusSerializer (scope labels on)', async () => {
    const { meterProvider, collect } = provider();
    recordWorkload(meterProvider);
    const collected = await collect();

    const ours = parseExposition((await render(collected)).text)
      .samples.map(sampleKey)
      .sort();
    const theirs = parseExposition(stock(collected)).samples.map(sampleKey).sort();

    expect(ours.length).toBeGreaterThan(30);
    expect(ours).toEqual(theirs);
  });

  it('serves the later scrapes from cached series text with the new values', async () => {
    const { meterProvider, collect } = provider();
    const counter = meterProvider.getMeter('m').createCounter('jobs', { description: 'Jobs' });
    const attributes = { 'job.kind': 'import' };
    counter.add(1, attributes);
    const engine = new ExpositionEngine({ scopeLabels: false });

    const first = bodyOf(await engine.render(await collect(), TEXT_FORMAT));
    counter.add(2, attributes);
    counter.add(1, { 'job.kind': 'export' });
    const second = bodyOf(await engine.render(await collect(), TEXT_FORMAT));

    expect(first).toContain('jobs_total{job_kind="import"} 1\n');
    expect(second).toContain('jobs_total{job_kind="import"} 3\n');
    expect(second).toContain('jobs_total{job_kind="export"} 1\n');
  });

  it('relies on the SDK keeping one attributes object per series across collections', async () => {
    const { meterProvider, collect } = provider();
    const meter = meterProvider.getMeter('m');
    meter.createCounter('c').add(1, { k: 'a' });
    meter.createHistogram('h').record(1, { k: 'a' });
    meter.createObservableGauge('g').addCallback((result) => result.observe(1, { k: 'a' }));
    const points = (collected: ResourceMetrics) =>
      collected.scopeMetrics.flatMap((scope) =>
        scope.metrics.map((m) => m.dataPoints[0]?.attributes),
      );

    const first = points(await collect());
    meter.createCounter('c').add(1, { k: 'a' });
    const second = points(await collect());

    expect(first).toHaveLength(3);
    for (const [i, attributes] of second.entries()) expect(attributes).toBe(first[i]);
  });

  it('renders a series once and reuses it for the same attributes object', () => {
    const cache = new SeriesCache('jobs_total', 'counter', '', new Set(), () => {});
    const attributes = { k: 'v' };

    const heads = cache.heads(attributes);

    expect(cache.heads(attributes)).toBe(heads);
    expect(cache.heads({ k: 'v' })).not.toBe(heads);
    expect(heads.main.toString()).toBe('jobs_total{k="v"} ');
  });

  it('writes OpenMetrics 1.0.0: counter family without _total, UNIT, canonical le, # EOF', async () => {
    const { meterProvider, collect } = provider();
    recordWorkload(meterProvider);

    const { openMetrics } = await render(await collect());

    expect(openMetrics.endsWith('\n# EOF\n') || openMetrics === '# EOF\n').toBe(true);
    expect(openMetrics).toContain('# TYPE event_received counter\n# HELP event_received Events\n');
    expect(openMetrics).toMatch(/^event_received_total\{event_type="order.created",.*\} 3$/m);
    expect(openMetrics).toContain(
      '# TYPE workflow_duration_seconds histogram\n# UNIT workflow_duration_seconds seconds\n',
    );
    expect(openMetrics).toContain(
      '# TYPE batch_bytes_read_bytes counter\n# UNIT batch_bytes_read_bytes bytes\n',
    );
    expect(openMetrics).toContain('# TYPE target_info gauge\n# HELP target_info Target metadata\n');
    for (const le of ['1e-07', '0.005', '0.1', '1.0', '10.0', '60.0', '+Inf']) {
      expect(openMetrics).toContain(`le="${le}"}`);
    }
    expect(parseExposition(openMetrics).samples.length).toBeGreaterThan(30);
  });

  it('spells numbers as the formats want: integers without exponent, NaN, +Inf, -Inf', async () => {
    const { meterProvider, collect } = provider();
    recordWorkload(meterProvider);

    const { text } = await render(await collect());

    expect(text).toMatch(/^event_received_total\{event_type="huge",.*\} 10000000000000000000000$/m);
    expect(text).toMatch(/^cpu_utilization_ratio\{cpu="1",.*\} NaN$/m);
    expect(text).toMatch(/^cpu_utilization_ratio\{cpu="2",.*\} \+Inf$/m);
    expect(text).toMatch(/^cpu_utilization_ratio\{cpu="3",.*\} -Inf$/m);
    expect(text).toMatch(/^queue_depth\{queue="q1",.*\} -5$/m);
  });

  it('adds otel_scope_name and otel_scope_version by default, and leaves them off on request', async () => {
    const { meterProvider, collect } = provider();
    recordWorkload(meterProvider);
    const collected = await collect();

    const on = (await render(collected)).text;
    const off = (await render(collected, { scopeLabels: false })).text;

    expect(on).toMatch(
      /^queue_depth\{queue="q1",otel_scope_name="opmeter\/test",otel_scope_version="1.2.3"\} -5$/m,
    );
    expect(off).toMatch(/^queue_depth\{queue="q1"\} -5$/m);
    expect(off).not.toContain('otel_scope');
  });

  it('escapes label values and HELP exactly as each format says, and never emits a lone surrogate', async () => {
    const { meterProvider, collect } = provider();
    const meter = meterProvider.getMeter('m');
    meter
      .createCounter('escapes', {
        description: 'help with \\ and "quotes"\nand a \uD800 lone surrogate',
      })
      .add(1, { value: 'a"b\\c\nd\uDC00e' });

    const { text, openMetrics } = await render(await collect(), { scopeLabels: false });

    expect(text).toContain(
      '# HELP escapes_total help with \\\\ and "quotes"\\nand a \uFFFD lone surrogate\n',
    );
    expect(openMetrics).toContain(
      '# HELP escapes help with \\\\ and \\"quotes\\"\\nand a \uFFFD lone surrogate\n',
    );
    expect(text).toContain('escapes_total{value="a\\"b\\\\c\\nd\uFFFDe"} 1\n');
    expect(Buffer.from(text).toString()).toBe(text);
    expect(parseExposition(text).samples[1]?.labels.value).toBe('a"b\\c\nd\uFFFDe');
  });

  it('sanitises label keys and joins the values of keys that collide, counting it', async () => {
    const { meterProvider, collect } = provider({ '1bad': 'v', 'good.key': 'g', good_key: 'h' });
    const meter = meterProvider.getMeter('m');
    meter.createCounter('keys').add(1, {
      '1abc': 'digit',
      '': 'empty',
      'a.b': 'dot',
      a_b: 'underscore',
      __reserved: 'r',
      'otel.scope.name': 'mine',
      le: 'not a bucket',
      quantile: 'not a summary',
    });
    meter
      .createHistogram('timing', { advice: { explicitBucketBoundaries: [1] } })
      .record(0.5, { le: 'mine' });
    const adjustments: ExpositionAdjustment[] = [];

    const { text, openMetrics } = await render(await collect(), {}, (a) => adjustments.push(a));

    expect(text).toContain(
      'keys_total{_1abc="digit",_="empty",a_b="dot;underscore",_reserved="r",_otel_scope_name="mine",_le="not a bucket",_quantile="not a summary",otel_scope_name="m"} 1\n',
    );
    expect(text).toContain('timing_bucket{_le="mine",otel_scope_name="m",le="1"} 1\n');
    expect(text).toContain('target_info{_1bad="v",good_key="g;h"} 1\n');
    expect(adjustments.filter((a) => a === 'label_collision')).toHaveLength(2);
    if (promtool) {
      const check = checkMetrics(text);
      expect(check.status).not.toBe(1);
      // lint: only the missing HELP of these test instruments, never a reserved label
      expect(check.output).not.toMatch(/should not have "(le|quantile)" label/);
      expect(checkMetrics(openMetrics).status).not.toBe(1);
    }
  });

  it('leaves out a metric whose Prometheus names clash with an earlier family, with one warning', async () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const { meterProvider, collect } = provider();
    const meter = meterProvider.getMeter('m');
    meter.createCounter('x').add(1);
    meter.createGauge('x.total').record(5);
    meter.createCounter('coll.a.b').add(1);
    meter.createCounter('coll.a_b').add(2);
    meter.createHistogram('h').record(1);
    meter.createGauge('h.bucket').record(1);
    meter.createGauge('target.info').record(1);
    const adjustments: ExpositionAdjustment[] = [];

    const { engine, text } = await render(await collect(), {}, (a) => adjustments.push(a));
    await engine.render(await collect(), TEXT_FORMAT);

    expect(text).toMatch(/^x_total\{otel_scope_name="m"\} 1$/m);
    expect(text).not.toMatch(/^x_total\S* 5$/m);
    expect(text).toMatch(/^coll_a_b_total\{otel_scope_name="m"\} 1$/m);
    expect(text).not.toMatch(/^coll_a_b_total\S* 2$/m);
    expect(text).not.toMatch(/^h_bucket\{otel_scope_name="m"\} 1$/m);
    expect(text).not.toMatch(/^target_info\{otel_scope_name/m);
    expect(adjustments).toEqual(Array(4).fill('family_collision'));
    expect(warn).toHaveBeenCalledTimes(4);
    expect(String(warn.mock.calls[0]?.[0])).toContain('rename one of the instruments');
  });

  it('merges same-name metrics of two meters into one family told apart by scope labels', async () => {
    const { meterProvider, collect } = provider();
    recordWorkload(meterProvider);
    const collected = await collect();

    const { text, openMetrics } = await render(collected);
    const off = (await render(collected, { scopeLabels: false })).text;

    expect(text.match(/^# TYPE event_received_total counter$/gm)).toHaveLength(1);
    expect(openMetrics.match(/^# TYPE event_received counter$/gm)).toHaveLength(1);
    expect(text).toMatch(
      /^event_received_total\{event_type="order.created",otel_scope_name="opmeter\/other"\} 7$/m,
    );
    expect(off).not.toMatch(/^event_received_total\S* 7$/m);
  });

  it('drops a series whose labels equal an earlier one after sanitising, counting it', async () => {
    const { meterProvider, collect } = provider();
    const counter = meterProvider.getMeter('m').createCounter('dup');
    counter.add(1, { 'a.b': 'x' });
    counter.add(2, { a_b: 'x' });
    counter.add(3, { k: 1 });
    counter.add(4, { k: '1' });
    const adjustments: ExpositionAdjustment[] = [];

    const { text } = await render(await collect(), { scopeLabels: false }, (a) =>
      adjustments.push(a),
    );

    expect(text.match(/^dup_total/gm)).toHaveLength(2);
    expect(adjustments.filter((a) => a === 'duplicate_series').length).toBe(4);
  });

  it.skipIf(promtool === undefined)(
    'keeps the empty exposition valid in both formats',
    async () => {
      const empty: ResourceMetrics = { resource: emptyResource(), scopeMetrics: [] };

      const { text, openMetrics } = await render(empty);

      expect(text).toBe('');
      expect(openMetrics).toBe('# EOF\n');
      expect(checkMetrics(text)).toEqual({ status: 0, output: '' });
      expect(checkMetrics(openMetrics).status).toBe(0);
    },
  );

  it('puts exemplars from an exemplar source on OpenMetrics bucket and counter lines only', async () => {
    const { meterProvider, collect } = provider();
    const meter = meterProvider.getMeter('m');
    meter
      .createHistogram('lat', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } })
      .record(0.5, { r: 'a' });
    meter.createCounter('req').add(2, { r: 'a' });
    meter.createGauge('g').record(1);
    const exemplars: ExemplarSource = {
      exemplar: (_metric, attributes, bucket) =>
        attributes.r === 'a' && bucket !== 0
          ? {
              traceId: 'a'.repeat(32),
              spanId: 'b'.repeat(16),
              value: 0.5,
              timestampMs: 1700000000123,
            }
          : undefined,
    };

    const { text, openMetrics } = await render(await collect(), { scopeLabels: false, exemplars });

    const suffix = ` # {trace_id="${'a'.repeat(32)}",span_id="${'b'.repeat(16)}"} 0.5 1700000000.123`;
    expect(openMetrics).toContain(`lat_seconds_bucket{r="a",le="0.1"} 0\n`);
    expect(openMetrics).toContain(`lat_seconds_bucket{r="a",le="1.0"} 1${suffix}\n`);
    expect(openMetrics).toContain(`req_total{r="a"} 2${suffix}\n`);
    expect(openMetrics).toContain('g 1\n');
    expect(text).not.toContain('trace_id');
  });

  it('lets the event loop turn after the collection and while it builds line heads', async () => {
    const { meterProvider, collect } = provider();
    const counter = meterProvider.getMeter('turns').createCounter('turns');
    for (let i = 0; i < 1000; i++) counter.add(1, { 'series.id': `s${i}` });
    const collected = await collect();
    const points = collected.scopeMetrics[0]?.metrics[0]?.dataPoints ?? [];
    expect(points).toHaveLength(1000);
    const order: string[] = [];
    // the heads of points 0 and 500 are built when their attributes are first read
    for (const index of [0, 500]) {
      const point = points[index] as { attributes: Record<string, unknown> };
      point.attributes = new Proxy(point.attributes, {
        ownKeys: (target) => {
          order.push(`heads ${index}`);
          return Reflect.ownKeys(target);
        },
      });
    }
    let turning = true;
    const turn = () => {
      if (order.at(-1) !== 'turn') order.push('turn');
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    const engine = new ExpositionEngine({ scopeLabels: true, sliceMs: 0 });
    await engine.render(collected, TEXT_FORMAT);
    turning = false;
    const first = order.indexOf('heads 0');
    const later = order.indexOf('heads 500');
    expect(order.slice(0, first)).toContain('turn');
    expect(order.slice(first, later)).toContain('turn');
  });

  it('keeps its sink and slicer between renderings without carrying anything over', async () => {
    const { meterProvider, collect } = provider();
    const counter = meterProvider.getMeter('reuse').createCounter('reuse');
    for (let i = 0; i < 2000; i++) counter.add(i, { 'series.id': `s${i}` });
    const collected = await collect();
    const expected = bodyOf(
      await new ExpositionEngine({ scopeLabels: true }).render(collected, TEXT_FORMAT),
    );
    const engine = new ExpositionEngine({ scopeLabels: true, sliceMs: 0 });
    // one rendering abandoned half-way (its sink holds lines), two at once, then one alone
    const abort = new AbortController();
    const abandoned = engine.render(collected, TEXT_FORMAT, abort.signal);
    setImmediate(() => setImmediate(() => abort.abort(new Error('gone'))));
    await expect(abandoned).rejects.toThrow('gone');
    const [text, openMetrics] = await Promise.all([
      engine.render(collected, TEXT_FORMAT),
      engine.render(collected, OPENMETRICS_FORMAT),
    ]);
    const again = await engine.render(collected, TEXT_FORMAT);

    expect(bodyOf(text)).toBe(expected);
    expect(bodyOf(again)).toBe(expected);
    expect(bodyOf(openMetrics)).toMatch(/^# TYPE target_info gauge\n/);
    expect(bodyOf(openMetrics).endsWith('# EOF\n')).toBe(true);
    expect(bodyOf(openMetrics).match(/^reuse_total\{/gm)).toHaveLength(2000);
  });
});

describe('exposition options', () => {
  it('defaults to scope labels on, a 10 s timeout and 4 scrapes in flight, in both modes', () => {
    expect(resolveConfig({ prometheus: { mode: 'handler' } }).prometheus).toEqual({
      mode: 'handler',
      scopeLabels: true,
      timeoutMs: 10_000,
      maxInFlight: 4,
    });
    expect(
      resolveConfig({ prometheus: { port: 0, scopeLabels: false, timeoutMs: 500, maxInFlight: 1 } })
        .prometheus,
    ).toMatchObject({ mode: 'listen', scopeLabels: false, timeoutMs: 500, maxInFlight: 1 });
  });

  it.each([
    [{ scopeLabels: 'no' }, 'prometheus.scopeLabels is no: use true (the OTel default) or false'],
    [
      { timeoutMs: 0 },
      'prometheus.timeoutMs is 0: expected a whole number between 1 and 2147483647',
    ],
    [
      { maxInFlight: 1.5 },
      'prometheus.maxInFlight is 1.5: expected a whole number between 1 and 1000',
    ],
  ])('rejects %j with what to fix', (given, message) => {
    const options = { prometheus: { mode: 'handler', ...given } } as StartMetricsOptions;
    expect(() => resolveConfig(options)).toThrow(new OpmeterConfigError(message));
  });
});
