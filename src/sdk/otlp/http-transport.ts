import { type ClientRequest, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { gzip } from 'node:zlib';
import type { OtlpTls } from './resolve.js';

/** How one attempt ended: the OTLP/HTTP specification's three outcomes. */
export type AttemptResult =
  | { status: 'success' }
  | { status: 'retryable'; error: Error; retryAfterMs?: number }
  | { status: 'failure'; error: Error };

/** One HTTP attempt per call; no retries (those are the {@link RetryPolicy}'s job). */
export interface HttpTransport {
  /** POSTs `body` once; settles with the outcome, never rejects. */
  send(body: Uint8Array, timeoutMs: number): Promise<AttemptResult>;
  /** Ends every request in flight (as a failure) and closes the sockets; later sends fail at once. */
  destroy(): void;
}

/** Settings of the transport, from the resolved OTLP options. */
export interface HttpTransportOptions {
  url: string;
  headers: Record<string, string>;
  contentType: string;
  gzip: boolean;
  tls: OtlpTls;
}

/** Statuses the OTLP/HTTP specification calls retryable. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Network errors worth another attempt; any other error is final. */
const RETRYABLE_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** The response body is only read for an error message: at most this much of it. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'opmeter-otlp';

/**
 * An OTLP/HTTP(S) transport on its own keep-alive agent, so that `destroy()` can end every socket it
 * opened and leave no handle that would keep the process alive.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const url = new URL(options.url);
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, ...options.tls })
    : new HttpAgent({ keepAlive: true });
  const request = secure ? httpsRequest : httpRequest;
  const inFlight = new Set<ClientRequest>();
  let destroyed = false;

  const send = async (body: Uint8Array, timeoutMs: number): Promise<AttemptResult> => {
    if (destroyed) return { status: 'failure', error: new Error('the OTLP exporter is shut down') };
    const payload = options.gzip ? await gzipped(body) : body;
    return new Promise<AttemptResult>((resolve) => {
      const headers: Record<string, string> = {
        ...options.headers,
        'content-type': options.contentType,
        'user-agent': USER_AGENT,
        'content-length': String(payload.byteLength),
        ...(options.gzip && { 'content-encoding': 'gzip' }),
      };
      const req = request(url, { method: 'POST', headers, agent });
      inFlight.add(req);
      const settle = (result: AttemptResult): void => {
        clearTimeout(timer);
        inFlight.delete(req);
        resolve(result);
      };
      const timer = setTimeout(() => {
        settle({
          status: 'retryable',
          error: new Error(`no OTLP response within ${timeoutMs} ms`),
        });
        req.destroy();
      }, timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          settle(outcome(res.statusCode ?? 0, res.headers['retry-after'], chunks)),
        );
        res.on('error', (error) => settle(networkFailure(error)));
      });
      req.on('error', (error) => settle(networkFailure(error)));
      req.on('close', () => {
        if (inFlight.has(req))
          settle({ status: 'failure', error: new Error('OTLP request aborted') });
      });
      req.end(payload);
    });
  };

  return {
    send,
    destroy: () => {
      destroyed = true;
      for (const req of inFlight) req.destroy(new Error('the OTLP exporter is shut down'));
      agent.destroy();
    },
  };
}

function outcome(status: number, retryAfter: string | undefined, chunks: Buffer[]): AttemptResult {
  if (status >= 200 && status < 300) return { status: 'success' };
  const text = Buffer.concat(chunks).subarray(0, 200).toString('utf8');
  const error = new Error(`OTLP collector answered ${status}${text ? `: ${text}` : ''}`);
  if (!RETRYABLE_STATUSES.has(status)) return { status: 'failure', error };
  const retryAfterMs = parseRetryAfter(retryAfter);
  return { status: 'retryable', error, ...(retryAfterMs !== undefined && { retryAfterMs }) };
}

function networkFailure(error: Error): AttemptResult {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && RETRYABLE_ERRORS.has(code)
    ? { status: 'retryable', error }
    : { status: 'failure', error };
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (never negative); `undefined` when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function gzipped(body: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    gzip(body, (error, result) => (error ? reject(error) : resolve(result))),
  );
}
