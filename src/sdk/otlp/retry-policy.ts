import type { AttemptResult, HttpTransport } from './http-transport.js';

/** Bounds on retries; the defaults are {@link DEFAULT_RETRY_LIMITS}. */
export interface RetryLimits {
  /** No retry comes sooner than this after the attempt before it, whatever `Retry-After` says. */
  minIntervalMs: number;
  /** Retries of one push, after its first attempt. */
  maxRetries: number;
  /** Bytes that retries may upload in any 60-second window; a retry past it is not sent. */
  bytesPerMinute: number;
}

/**
 * One push is attempted at most 3 times, retries at least 1 s apart (backoff 1 s, 2 s, with up to
 * 20% jitter, or longer when `Retry-After` asks), and retries of all pushes together upload at
 * most 4 MiB per minute. The first attempt of each push is never held back: an outage adds at most
 * that budget to the normal upload volume.
 */
export const DEFAULT_RETRY_LIMITS: RetryLimits = {
  minIntervalMs: 1000,
  maxRetries: 2,
  bytesPerMinute: 4 * 1024 * 1024,
};

const WINDOW_MS = 60_000;
const JITTER = 0.2;

/** Sends a push through a transport with bounded retries; `cancel()` ends every pending wait. */
export interface RetryPolicy {
  /**
   * Attempts `body` until success, a final failure, the limits or `deadline` (a `Date.now()` time),
   * each attempt for at most `attemptTimeoutMs`.
   */
  send(body: Uint8Array, deadline: number, attemptTimeoutMs: number): Promise<AttemptResult>;
  /** Ends the waits for a retry at once (they settle with their last outcome). */
  cancel(): void;
}

/** A retry policy over `transport` with the given limits (and a clock, for tests). */
export function createRetryPolicy(
  transport: HttpTransport,
  limits: RetryLimits = DEFAULT_RETRY_LIMITS,
  now: () => number = Date.now,
): RetryPolicy {
  /** Sizes and times of the retries sent in the last minute; at most a few hundred entries. */
  const sent: { at: number; bytes: number }[] = [];
  const waits = new Set<() => void>();

  const budgetAllows = (bytes: number): boolean => {
    const since = now() - WINDOW_MS;
    while (sent.length > 0 && (sent[0]?.at ?? 0) <= since) sent.shift();
    const used = sent.reduce((sum, entry) => sum + entry.bytes, 0);
    return used + bytes <= limits.bytesPerMinute;
  };

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      waits.add(done);
    });

  const attempt = (body: Uint8Array, deadline: number, timeoutMs: number): Promise<AttemptResult> =>
    transport
      .send(body, Math.max(1, Math.min(timeoutMs, deadline - now())))
      .catch((error: unknown) => ({ status: 'failure', error: asError(error) }) as const);

  let cancelled = false;
  return {
    async send(body, deadline, attemptTimeoutMs) {
      let result = await attempt(body, deadline, attemptTimeoutMs);
      for (let retry = 1; retry <= limits.maxRetries && result.status === 'retryable'; retry++) {
        const backoff = limits.minIntervalMs * 2 ** (retry - 1) * (1 + Math.random() * JITTER);
        const delay = Math.max(limits.minIntervalMs, result.retryAfterMs ?? 0, backoff);
        if (cancelled || now() + delay >= deadline || !budgetAllows(body.byteLength)) break;
        await wait(delay);
        if (cancelled || !budgetAllows(body.byteLength)) break;
        sent.push({ at: now(), bytes: body.byteLength });
        result = await attempt(body, deadline, attemptTimeoutMs);
      }
      return result;
    },
    cancel() {
      cancelled = true;
      for (const done of [...waits]) done();
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
