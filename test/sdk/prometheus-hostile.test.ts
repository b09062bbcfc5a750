import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsHandle, startMetrics } from '../../src/sdk/index.js';
import { encodedBody } from '../../src/sdk/prometheus/encoded-body.js';
import { ExpositionEngine, type Rendering } from '../../src/sdk/prometheus/exposition/engine.js';
import {
  type ExpositionFormat,
  OPENMETRICS_FORMAT,
  TEXT_FORMAT,
} from '../../src/sdk/prometheus/exposition/format.js';
import { parseExposition, sampleKey } from '../support/exposition-parser.js';
import {
  hostileMeters,
  hostileResource,
  manyAttributes,
  recordHostile,
} from '../support/hostile-metrics.js';
import { TestMetricReader } from '../support/metric-reader.js';
import {
  type PrometheusServer,
  prometheusBinary,
  startPrometheusServer,
} from '../support/prometheus-server.js';

const promtool = prometheusBinary('promtool');
const prometheus = prometheusBinary('prometheus');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * What a strict reader of either format demands, beyond the line syntax the parser checks:
 * valid UTF-8, unique metadata per family, no duplicate series, label names that Prometheus
 * accepts, and exactly one final `# EOF` in OpenMetrics.
 */
function expectValid(body: string, format: ExpositionFormat): void {
  expect(LONE_SURROGATE.test(body)).toBe(false);
  const { samples, comments } = parseExposition(body);
  const metadata = comments.filter((line) => line !== '# EOF');
  expect(new Set(metadata).size).toBe(metadata.length);
  const types = metadata.filter((line) => line.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
  expect(new Set(types).size).toBe(types.length);
  const keys = samples.map(sampleKey).map((key) => key.slice(0, key.lastIndexOf(' ')));
  expect(new Set(keys).size).toBe(keys.length);
  for (const sample of samples) {
    for (const name of Object.keys(sample.labels)) {
      expect(name).toMatch(LABEL_NAME);
      expect(name.startsWith('__')).toBe(false);
    }
  }
  if (format === OPENMETRICS_FORMAT) {
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(comments.filter((line) => line === '# EOF')).toHaveLength(1);
  } else if (body !== '') {
    expect(body.endsWith('\n')).toBe(true);
  }
}

/**
 * Many expositions as one promtool input: each case's metric names get a `c<i>_` prefix so that
 * families of different cases never meet, and OpenMetrics' `# EOF` is dropped. promtool 2.42
 * reads OpenMetrics with the 0.0.4 parser, which refuses OpenMetrics' `\"` in HELP, so HELP
 * text is given 0.0.4 escaping there (OpenMetrics HELP escaping is checked by the unit tests
 * and by a real Prometheus below).
 */
function batch(bodies: string[]): string {
  return bodies
    .map((body, i) =>
      body
        .split('\n')
        .filter((line) => line !== '' && line !== '# EOF')
        .map((line) => {
          const meta = /^# (HELP|TYPE|UNIT) (\S+)( .*)?$/s.exec(line);
          if (meta === null) return `c${i}_${line}`;
          const rest = meta[1] === 'HELP' ? (meta[3] ?? '').replaceAll('\\"', '"') : meta[3];
          return `# ${meta[1]} c${i}_${meta[2]}${rest ?? ''}`;
        })
        .join('\n'),
    )
    .filter((text) => text !== '')
    .map((text) => `${text}\n`)
    .join('');
}

function promtoolParseError(input: string): string | undefined {
  const check = spawnSync(promtool ?? 'promtool', ['check', 'metrics'], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = check.stdout + check.stderr;
  return check.status === 1 || /parsing error/.test(output) ? output.slice(0, 2000) : undefined;
}

async function collectHostile(
  resource: Record<string, never>,
  meters: Parameters<typeof recordHostile>[1],
): Promise<ResourceMetrics> {
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes(resource),
    readers: [reader],
  });
  recordHostile(meterProvider, meters);
  const { resourceMetrics } = await reader.collect();
  await meterProvider.shutdown();
  return resourceMetrics;
}

describe('any input gives a valid exposition', () => {
  it('passes a strict reading and promtool for generated names, keys, values and units', async () => {
    const bodies: Record<'text' | 'openmetrics', string[]> = { text: [], openmetrics: [] };
    const seed = Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(
        hostileResource,
        hostileMeters,
        fc.boolean(),
        async (resource, meters, scopeLabels) => {
          const collected = await collectHostile(resource as Record<string, never>, meters);
          const engine = new ExpositionEngine({ scopeLabels });
          for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
            const body = await utf8Body(await engine.render(collected, format));
            expectValid(body, format);
            bodies[format.id].push(body);
          }
        },
      ),
      { numRuns: 150, seed },
    );

    if (promtool === undefined) return;
    for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
      const all = bodies[format.id];
      const failed = promtoolParseError(batch(all));
      if (failed !== undefined) {
        const culprit = all.find((body) => promtoolParseError(batch([body])) !== undefined);
        expect.fail(
          `promtool refused a ${format.id} exposition (seed ${seed}): ${failed}\n${culprit?.slice(0, 3000)}`,
        );
      }
    }
  }, 120_000);
});

/** 20,000 series of 5 random keys each: 100,000 random keys and values. */
const MANY = fc.sample(manyAttributes(5), { numRuns: 20_000, seed: 10 });

function recordMany(meterProvider: MeterProvider | MetricsHandle['meterProvider']): void {
  const counter = meterProvider.getMeter('many').createCounter('many.keys');
  for (const attributes of MANY) counter.add(1, attributes);
}

describe('100,000 random label keys and values', () => {
  it.skipIf(promtool === undefined)(
    'pass a strict reading and promtool in both formats',
    async () => {
      const reader = new TestMetricReader({ cardinalitySelector: () => 30_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      recordMany(meterProvider);
      const { resourceMetrics } = await reader.collect();
      const engine = new ExpositionEngine({ scopeLabels: true });

      for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
        const body = await utf8Body(await engine.render(resourceMetrics, format));
        expectValid(body, format);
        expect(parseExposition(body).samples.length).toBeGreaterThan(19_000);
        expect(promtoolParseError(batch([body]))).toBeUndefined();
      }
      await meterProvider.shutdown();
    },
    60_000,
  );
});

describe.skipIf(prometheus === undefined)('a real Prometheus scraping hostile metrics', () => {
  let handle: MetricsHandle;
  let server: Server;
  let scraper: PrometheusServer;
  const awkward = 'q"b\\n\nx\uD800 end';

  beforeAll(async () => {
    handle = await startMetrics({
      registerGlobal: false,
      env: {},
      prometheus: { mode: 'handler' },
      cardinalityLimit: 30_000,
      resourceAttributes: { '1bad': 'v', 'a.b': 'x', a_b: 'y', '': 'empty' },
    });
    const meterProvider = handle.meterProvider;
    for (const meters of fc.sample(hostileMeters, { numRuns: 40, seed: 8 })) {
      recordHostile(meterProvider, meters);
    }
    recordMany(meterProvider);
    meterProvider.getMeter('hostile').createCounter('hostile.values').add(1, { v: awkward });
    server = createServer(handle.prometheus?.requestHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    // 20,000 series of random text: the first scrape (which creates them in Prometheus' TSDB) can
    // take longer than a second on a slow machine, and a scrape past its timeout is `up` 0.
    scraper = await startPrometheusServer({
      binary: prometheus ?? 'prometheus',
      target,
      scrapeIntervalSeconds: 3,
    });
  }, 30_000);

  afterAll(async () => {
    await scraper?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await handle?.shutdown();
  });

  it('keeps the target up, negotiating OpenMetrics and gzip, with label values intact', async () => {
    await scraper.waitForSamples('count_over_time(up{job="opmeter"}[1m]) >= 4', {
      timeoutMs: 40_000,
    });

    const up = await scraper.query('min_over_time(up{job="opmeter"}[1m])');
    const targets = (await (await fetch(`${scraper.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ lastError: string }> };
    };
    const samples = await scraper.query('scrape_samples_scraped{job="opmeter"}');
    const served = await scraper.query(
      'opmeter_prometheus_scrape_duration_seconds_count{opmeter_prometheus_format="openmetrics",' +
        'opmeter_prometheus_encoding="gzip",opmeter_prometheus_outcome="ok"}',
    );
    const values = await scraper.query('hostile_values_total');

    expect({ up: up[0]?.value[1], error: targets.data.activeTargets[0]?.lastError }).toEqual({
      up: '1',
      error: '',
    });
    expect(Number(samples[0]?.value[1])).toBeGreaterThan(MANY.length);
    expect(Number(served[0]?.value[1])).toBeGreaterThanOrEqual(3);
    expect(values[0]?.metric.v).toBe('q"b\\n\nx\uFFFD end');
  }, 50_000);
});

/** The body of a rendering as an HTTP answer sends it, decoded from its UTF-8 bytes. */
async function utf8Body(rendering: Rendering): Promise<string> {
  return Buffer.concat((await encodedBody(rendering)).buffers).toString('utf8');
}
