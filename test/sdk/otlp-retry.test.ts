import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetrics } from '../../src/sdk/index.js';
import { parseRetryAfter } from '../../src/sdk/otlp/http-transport.js';
import { DEFAULT_RETRY_LIMITS } from '../../src/sdk/otlp/retry-policy.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Upload {
  at: number;
  bytes: number;
  digest: string;
}

/** A collector on loopback that answers every push `503` with `Retry-After: 0` and logs it. */
async function unavailableCollector(): Promise<{ url: string; uploads: Upload[] }> {
  const uploads: Upload[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const digest = createHash('sha1').update(body).digest('hex');
      uploads.push({ at: performance.now(), bytes: body.length, digest });
      response.writeHead(503, { 'retry-after': '0' }).end('unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`, uploads };
}

describe('OTLP retries', () => {
  it('reads Retry-After as seconds or an HTTP date, never negative', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(' 3 ')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('a collector answering 503 with Retry-After: 0 for 20 s gets no retry storm', async () => {
    const collector = await unavailableCollector();
    const telemetry = await startMetrics({
      registerGlobal: false,
      env: {},
      cardinalityLimit: 20_000,
      otlp: { endpoint: collector.url, exportIntervalMs: 5000, exportTimeoutMs: 5000 },
    });
    cleanups.push(() => telemetry.shutdown({ deadlineMs: 1000 }).catch(() => undefined));
    // About 1.4 MB per push: three retries exhaust the 4 MiB budget of a minute.
    const counter = telemetry.meterProvider.getMeter('storm').createCounter('jobs.done');
    for (let i = 0; i < 10_000; i++) counter.add(1, { job: `job-${i}-${'x'.repeat(80)}` });

    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const uploads = [...collector.uploads];

    const pushes = new Map<string, Upload[]>();
    for (const upload of uploads) {
      pushes.set(upload.digest, [...(pushes.get(upload.digest) ?? []), upload]);
    }
    const retried = [...pushes.values()].flatMap((attempts) => attempts.slice(1));
    const retriedBytes = retried.reduce((sum, upload) => sum + upload.bytes, 0);
    const body = uploads[0]?.bytes ?? 0;
    const totalBytes = uploads.reduce((sum, upload) => sum + upload.bytes, 0);
    console.log(
      `503 + Retry-After: 0 for 20 s: ${pushes.size} pushes, ${uploads.length} uploads, ` +
        `${(totalBytes / 1e6).toFixed(1)} MB (${retried.length} retries, ${(retriedBytes / 1e6).toFixed(1)} MB)`,
    );

    expect(pushes.size).toBeGreaterThanOrEqual(3);
    expect(pushes.size).toBeLessThanOrEqual(5);
    expect(body).toBeGreaterThan(1_000_000);
    for (const attempts of pushes.values()) {
      expect(attempts.length).toBeLessThanOrEqual(1 + DEFAULT_RETRY_LIMITS.maxRetries);
      for (let i = 1; i < attempts.length; i++) {
        const gap = (attempts[i]?.at ?? 0) - (attempts[i - 1]?.at ?? 0);
        expect(gap).toBeGreaterThanOrEqual(DEFAULT_RETRY_LIMITS.minIntervalMs - 10);
      }
    }
    expect(retried.length).toBeGreaterThan(0);
    expect(retriedBytes).toBeLessThanOrEqual(DEFAULT_RETRY_LIMITS.bytesPerMinute);
    expect(totalBytes).toBeLessThanOrEqual(
      pushes.size * body + DEFAULT_RETRY_LIMITS.bytesPerMinute,
    );
  }, 40_000);
});
