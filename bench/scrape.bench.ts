import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Counter as PromCounter, Registry } from 'prom-client';
import { startMetrics } from '../src/sdk/index.js';
import { isEntryPoint, median } from './harness.js';

const SCRAPES = 15;

/** Scrape time and longest event-loop stall for one exporter at one series count. */
export interface ScrapeResult {
  exporter: string;
  series: number;
  medianMs: number;
  longestStallMs: number;
  bytes: number;
}

async function measure(
  exporter: string,
  series: number,
  scrape: () => Promise<string>,
): Promise<ScrapeResult> {
  await scrape();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  let bytes = 0;
  delay.enable();
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    const text = await scrape();
    times.push(performance.now() - start);
    bytes = text.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  delay.disable();
  return { exporter, series, medianMs: median(times), longestStallMs: delay.max / 1e6, bytes };
}

async function opmeterScrape(series: number): Promise<ScrapeResult> {
  const handle = await startMetrics({
    registerGlobal: false,
    env: {},
    prometheus: { mode: 'handler' },
    cardinalityLimit: series + 10,
  });
  const counter = handle.meterProvider
    .getMeter('bench')
    .createCounter('bench.requests', { unit: '{request}' });
  for (let i = 0; i < series; i++) counter.add(i + 1, { route: `/r/${i}`, outcome: 'success' });
  const endpoint = handle.prometheus;
  if (endpoint === undefined) throw new Error('prometheus endpoint missing');
  try {
    return await measure('opmeter (OTel SDK + exporter-prometheus)', series, () =>
      endpoint.scrape(),
    );
  } finally {
    await handle.shutdown();
  }
}

async function promClientScrape(series: number): Promise<ScrapeResult> {
  const registry = new Registry();
  const counter = new PromCounter({
    name: 'bench_requests_total',
    help: 'requests',
    labelNames: ['route', 'outcome'],
    registers: [registry],
  });
  for (let i = 0; i < series; i++) counter.inc({ route: `/r/${i}`, outcome: 'success' }, i + 1);
  return measure('prom-client', series, () => registry.metrics());
}

/** Measures scrapes of 1k and 10k counter series by opmeter and by prom-client. */
export async function run(): Promise<ScrapeResult[]> {
  const results: ScrapeResult[] = [];
  for (const series of [1_000, 10_000]) {
    results.push(await promClientScrape(series));
    results.push(await opmeterScrape(series));
  }
  return results;
}

/** Renders scrape results as a Markdown table with the ratio to prom-client. */
export function scrapeTable(results: readonly ScrapeResult[]): string {
  const lines = [
    '| series | exporter | median scrape | ratio to prom-client | longest event-loop stall | body |',
    '|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const base = results.find((b) => b.series === r.series && b.exporter === 'prom-client');
    const ratio = base === undefined ? '' : `${(r.medianMs / base.medianMs).toFixed(2)}×`;
    lines.push(
      `| ${r.series} | ${r.exporter} | ${r.medianMs.toFixed(2)} ms | ${ratio} | ${r.longestStallMs.toFixed(1)} ms | ${(r.bytes / 1024).toFixed(0)} KiB |`,
    );
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) console.log(scrapeTable(await run()));
