import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { encodedBody } from './encoded-body.js';
import type { Rendering } from './exposition/engine.js';
import type { ExpositionFormat } from './exposition/format.js';
import { acceptsGzip, negotiateFormat } from './negotiate.js';
import type { ScrapeSelfMetrics } from './self-metrics.js';
import {
  OUTCOME_ABORTED,
  OUTCOME_ERROR,
  OUTCOME_OK,
  OUTCOME_REJECTED,
  OUTCOME_TIMEOUT,
} from './semconv.js';
import { EndpointStoppedError, type SharedRenderings } from './shared-renderings.js';

/** Limits of the request handler. */
export interface ScrapeLimits {
  /** Longest collection + rendering before the answer is 503. */
  timeoutMs: number;
  /** Most requests served at once; more are answered 503 with `Retry-After`. */
  maxInFlight: number;
}

/** The request handler of the Prometheus endpoint. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const VARY = 'Accept, Accept-Encoding';
const COMMENT_TYPE = 'text/plain; charset=utf-8';

/** Raised into a waiting scrape when its timeout passes. */
class ScrapeTimeout extends Error {}

/**
 * An HTTP handler serving the exposition on any path it is mounted on: GET and HEAD get 200 in
 * the negotiated format (`Accept`), gzipped when `Accept-Encoding` allows; other methods 405.
 * A scrape past its timeout gets 503, one beyond `maxInFlight` 503 with `Retry-After: 1`, one of
 * a stopped endpoint 503, a failed collection 500; each answer carries the reason as a comment.
 */
export function createRequestHandler(
  renderings: SharedRenderings,
  limits: ScrapeLimits,
  metrics: ScrapeSelfMetrics,
): RequestHandler {
  let inFlight = 0;
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const started = performance.now();
    const format = negotiateFormat(request.headers.accept);
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    let recorded = false;
    const record = (outcome: string, bytes?: number): void => {
      if (recorded) return;
      recorded = true;
      metrics.scraped({
        format: format.id,
        encoding: gzip && outcome === OUTCOME_OK ? 'gzip' : 'identity',
        outcome,
        seconds: (performance.now() - started) / 1000,
        bytes,
      });
    };
    if (renderings.stopped) {
      comment(response, 503, {}, new EndpointStoppedError().message);
      record(OUTCOME_REJECTED);
      return;
    }
    if (inFlight >= limits.maxInFlight) {
      comment(response, 503, { 'retry-after': '1' }, tooMany(limits.maxInFlight));
      record(OUTCOME_REJECTED);
      return;
    }
    if (request.method === 'HEAD') {
      response.writeHead(200, { 'content-type': format.contentType, vary: VARY }).end();
      return;
    }
    inFlight++;
    const timeoutMs = scrapeTimeout(request, limits.timeoutMs);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new ScrapeTimeout()), timeoutMs);
    response.once('close', () => {
      inFlight--;
      clearTimeout(timer);
      if (response.writableFinished) return;
      abort.abort(new Error('client closed the connection'));
      record(OUTCOME_ABORTED);
    });
    renderings.rendering(format, abort.signal).then(
      (rendering) => {
        clearTimeout(timer);
        send(response, rendering, format, gzip, (bytes) =>
          record(bytes === undefined ? OUTCOME_ABORTED : OUTCOME_OK, bytes),
        );
      },
      (error: unknown) => {
        if (response.destroyed) {
          record(OUTCOME_ABORTED);
        } else if (error instanceof ScrapeTimeout) {
          comment(response, 503, {}, timedOut(timeoutMs));
          record(OUTCOME_TIMEOUT);
        } else if (error instanceof EndpointStoppedError) {
          comment(response, 503, {}, error.message);
          record(OUTCOME_REJECTED);
        } else {
          comment(response, 500, {}, `metrics collection failed: ${String(error)}`);
          record(OUTCOME_ERROR);
        }
      },
    );
  };
}

/** Writes the body (plain with its length, or gzipped through zlib's stream) and reports the bytes sent. */
function send(
  response: ServerResponse,
  rendering: Rendering,
  format: ExpositionFormat,
  gzip: boolean,
  done: (bytes: number | undefined) => void,
): void {
  const headers = { 'content-type': format.contentType, vary: VARY };
  if (!gzip) {
    encodedBody(rendering).then(({ buffers, bytes }) => {
      if (response.destroyed) return;
      response.writeHead(200, { ...headers, 'content-length': bytes });
      for (const buffer of buffers) response.write(buffer);
      response.end(() => done(bytes));
    });
    return;
  }
  response.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
  const compressor = createGzip();
  let bytes = 0;
  compressor.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  pipeline(Readable.from(rendering.chunks), compressor, response, (error) =>
    done(error ? undefined : bytes),
  );
}

function comment(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
): void {
  response.writeHead(status, { 'content-type': COMMENT_TYPE, ...headers });
  response.end(`# opmeter: ${text.replaceAll('\n', ' ')}\n`);
}

/** The configured timeout, lowered to the scraper's own (`X-Prometheus-Scrape-Timeout-Seconds`). */
function scrapeTimeout(request: IncomingMessage, timeoutMs: number): number {
  const header = Number(request.headers['x-prometheus-scrape-timeout-seconds']);
  return header > 0 ? Math.min(timeoutMs, header * 1000) : timeoutMs;
}

function timedOut(timeoutMs: number): string {
  return (
    `scrape timed out after ${timeoutMs} ms: raise prometheus.timeoutMs (and the job's ` +
    'scrape_timeout), or expose fewer series (views, cardinalityLimit)'
  );
}

function tooMany(maxInFlight: number): string {
  return (
    `${maxInFlight} scrapes are already in flight: retry later, scrape less often, or raise ` +
    'prometheus.maxInFlight'
  );
}
