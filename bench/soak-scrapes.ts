import { Agent, createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** The four ways a scraper may ask: text or OpenMetrics, plain or gzip. */
const VARIANTS = [
  { name: 'text', accept: 'text/plain', gzip: false },
  { name: 'text+gzip', accept: 'text/plain', gzip: true },
  { name: 'openmetrics', accept: 'application/openmetrics-text; version=1.0.0', gzip: false },
  { name: 'openmetrics+gzip', accept: 'application/openmetrics-text; version=1.0.0', gzip: true },
] as const;

/** What the scrapers saw, per variant and in all. */
export interface ScrapeTally {
  ok: number;
  /** Answered 503 (in-flight cap or timeout): allowed, counted. */
  rejected: number;
  failed: number;
  /** The first few failures, for the report. */
  failures: string[];
  /** Longest scrape in milliseconds. */
  maxMs: number;
  byVariant: Record<string, number>;
}

/** Scrapers running against the handler, stopped by `stop()`. */
export interface Scrapers {
  readonly tally: ScrapeTally;
  stop(): Promise<void>;
}

/**
 * Serves `handler` on a loopback port and runs `count` scrapers against it, each asking in a
 * rotating variant every `pauseMs`; every answer is checked (status, content type, gzip, the
 * OpenMetrics `# EOF`, the expected metric present).
 */
export async function startScrapers(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  count: number,
  pauseMs: number,
  expectedMetric: string,
): Promise<Scrapers> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const agent = new Agent({ keepAlive: true });
  const tally: ScrapeTally = {
    ok: 0,
    rejected: 0,
    failed: 0,
    failures: [],
    maxMs: 0,
    byVariant: {},
  };
  let running = true;
  const fail = (what: string) => {
    tally.failed += 1;
    if (tally.failures.length < 5) tally.failures.push(what);
  };

  const scrapeOnce = async (variant: (typeof VARIANTS)[number]): Promise<void> => {
    const started = performance.now();
    const { status, headers, body } = await fetchOnce(url, agent, variant);
    tally.maxMs = Math.max(tally.maxMs, performance.now() - started);
    if (status === 503) {
      tally.rejected += 1;
      return;
    }
    if (status !== 200) return fail(`${variant.name}: status ${status}`);
    const gzipped = headers['content-encoding'] === 'gzip';
    if (gzipped !== variant.gzip) return fail(`${variant.name}: content-encoding ${gzipped}`);
    const text = (gzipped ? gunzipSync(body) : body).toString('utf8');
    const openMetrics = String(headers['content-type']).startsWith('application/openmetrics-text');
    if (openMetrics !== variant.accept.startsWith('application/openmetrics-text')) {
      return fail(`${variant.name}: content-type ${headers['content-type']}`);
    }
    if (openMetrics && !text.endsWith('# EOF\n')) return fail(`${variant.name}: no final # EOF`);
    if (!text.includes(expectedMetric)) return fail(`${variant.name}: ${expectedMetric} missing`);
    tally.ok += 1;
    tally.byVariant[variant.name] = (tally.byVariant[variant.name] ?? 0) + 1;
  };

  const loops = Array.from({ length: count }, async (_, index) => {
    for (let n = index; running; n++) {
      const variant = VARIANTS[n % VARIANTS.length] ?? VARIANTS[0];
      await scrapeOnce(variant).catch((error: Error) => fail(`${variant.name}: ${error.message}`));
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });

  return {
    tally,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function fetchOnce(
  url: string,
  agent: Agent,
  variant: (typeof VARIANTS)[number],
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = {
      accept: variant.accept,
      ...(variant.gzip && { 'accept-encoding': 'gzip' }),
    };
    const request = get(url, { agent, headers, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
  });
}
