import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EVENT_DURATION_BUCKETS,
  METRIC_EVENT_PROCESSING_DURATION,
} from '../instrumentations/event/index.js';
import { HTTP_SEMCONV_BUCKETS } from '../src/core/buckets.js';
import { startMetrics } from '../src/sdk/index.js';
import { VERSION } from '../src/version.js';
import { PEERS, type PeerLibrary } from './peers.js';

/** One scrape case: which series every library's registry holds. */
export interface ScrapeCase {
  family: 'histogram' | 'counter';
  series: number;
  /** `same 14`: the OTel HTTP semconv boundaries on every side; `defaults`: each library's own. */
  buckets: 'same 14' | 'defaults' | undefined;
}

/** What one scrape returned, before it is inspected (sizes are computed off the clock). */
export interface ScrapeBody {
  body: string | Buffer;
  /** `Content-Encoding` of an HTTP response. */
  encoding?: string | undefined;
  /** `Content-Type` of an HTTP response. */
  contentType?: string | undefined;
}

/** One library's scrape of its own registry, built before anything is measured. */
export interface ScrapeSubject {
  readonly name: string;
  scrape(): Promise<ScrapeBody>;
  close(): Promise<void>;
}

/** The row name of opmeter's in-process scrape, the baseline of the targets. */
export const OPMETER_SCRAPE = 'opmeter scrape()';
/** The row name of opmeter's in-process scrape with `scopeLabels: false`. */
export const OPMETER_NO_SCOPE = 'opmeter scrape(), scopeLabels: false';
/** The row name of opmeter's scrape through its request handler over HTTP. */
export const OPMETER_HTTP = 'opmeter over HTTP';

/** What a Prometheus 2.x server sends on every scrape: OpenMetrics first, then the text format. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Durations spread over five decades, so that each series fills several buckets. */
const DURATIONS = [0.00004, 0.0007, 0.003, 0.012, 0.045, 0.2, 0.9, 3.5] as const;
const OBSERVATIONS_PER_SERIES = 3;

function eventType(i: number): string {
  return `order.event.${i}`;
}

function durationOf(i: number, k: number): number {
  return DURATIONS[(i * 5 + k * 3) % DURATIONS.length] ?? 0;
}

/** A started opmeter holding the case's series, recorded as the event domain records them. */
async function filledOpmeter(scrapeCase: ScrapeCase, scopeLabels: boolean) {
  const handle = await startMetrics({
    registerGlobal: false,
    env: {},
    prometheus: { mode: 'handler', scopeLabels },
    cardinalityLimit: scrapeCase.series + 10,
  });
  const endpoint = handle.prometheus;
  if (endpoint === undefined) throw new Error('startMetrics returned no Prometheus endpoint');
  // The event domain's scope, instrument name, unit and attribute: the same series a user gets.
  const meter = handle.meterProvider.getMeter('opmeter/event', VERSION);
  if (scrapeCase.family === 'histogram') {
    const boundaries =
      scrapeCase.buckets === 'same 14' ? HTTP_SEMCONV_BUCKETS : EVENT_DURATION_BUCKETS;
    const histogram = meter.createHistogram(METRIC_EVENT_PROCESSING_DURATION, {
      unit: 's',
      advice: { explicitBucketBoundaries: [...boundaries] },
    });
    for (let i = 0; i < scrapeCase.series; i++) {
      const attributes = { 'event.type': eventType(i) };
      for (let k = 0; k < OBSERVATIONS_PER_SERIES; k++)
        histogram.record(durationOf(i, k), attributes);
    }
  } else {
    const counter = meter.createCounter('event.processed', { unit: '{event}' });
    for (let i = 0; i < scrapeCase.series; i++) counter.add(i + 1, { 'event.type': eventType(i) });
  }
  return { handle, endpoint };
}

/**
 * opmeter's scrape in process, the same registry through its request handler over HTTP, and a
 * second registry with `scopeLabels: false` (what the body target is read from).
 */
async function opmeterSubjects(scrapeCase: ScrapeCase): Promise<ScrapeSubject[]> {
  const { handle, endpoint } = await filledOpmeter(scrapeCase, true);
  const server = createServer(endpoint.requestHandler);
  // a round at 50k series outlasts Node's 5 s keep-alive default: keep the scrape connection open
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let closing: Promise<void> | undefined;
  // both paths share one handle: whichever is closed first closes it
  const close = () =>
    (closing ??= (async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.shutdown();
    })());
  const bare = await filledOpmeter(scrapeCase, false);
  return [
    { name: OPMETER_SCRAPE, scrape: async () => ({ body: await endpoint.scrape() }), close },
    {
      name: OPMETER_NO_SCOPE,
      scrape: async () => ({ body: await bare.endpoint.scrape() }),
      close: () => bare.handle.shutdown(),
    },
    { name: OPMETER_HTTP, scrape: () => httpScrape(port, agent), close },
  ];
}

/** GET /metrics as a Prometheus server would ask for it: OpenMetrics preferred, gzip accepted. */
function httpScrape(port: number, agent: Agent): Promise<ScrapeBody> {
  return new Promise((resolve, reject) => {
    const headers = { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' };
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) {
          reject(new Error(`scrape answered ${res.statusCode}`));
          return;
        }
        resolve({
          body: Buffer.concat(chunks),
          encoding: res.headers['content-encoding'],
          contentType: res.headers['content-type'],
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function peerSubject(library: PeerLibrary, scrapeCase: ScrapeCase): ScrapeSubject {
  const registry = library.registry();
  if (scrapeCase.family === 'histogram') {
    const buckets = scrapeCase.buckets === 'same 14' ? HTTP_SEMCONV_BUCKETS : undefined;
    const histogram = registry.histogram(
      'event_processing_duration_seconds',
      ['event_type'],
      buckets,
    );
    for (let i = 0; i < scrapeCase.series; i++) {
      const labels = { event_type: eventType(i) };
      for (let k = 0; k < OBSERVATIONS_PER_SERIES; k++) histogram.observe(labels, durationOf(i, k));
    }
  } else {
    const counter = registry.counter('event_processed_total', ['event_type']);
    for (let i = 0; i < scrapeCase.series; i++) counter.inc({ event_type: eventType(i) }, i + 1);
  }
  return {
    name: library.name,
    scrape: async () => ({ body: await registry.metrics() }),
    close: async () => registry.clear(),
  };
}

/**
 * Every library's registry for `scrapeCase`, each filled with the same series and observations,
 * all built before the first scrape: nothing is measured while a registry is being built.
 * Order: the peers, then opmeter's two paths.
 */
export async function buildSubjects(scrapeCase: ScrapeCase): Promise<ScrapeSubject[]> {
  const peers = PEERS.map((library) => peerSubject(library, scrapeCase));
  return [...peers, ...(await opmeterSubjects(scrapeCase))];
}
