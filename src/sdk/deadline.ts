import { TimeoutError } from '@opentelemetry/sdk-metrics';

/** Thrown when an operation did not finish within its deadline; the operation may go on. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/**
 * Settles with `work` or rejects with a {@link DeadlineError} after `deadlineMs`, whichever comes
 * first; the SDK's own `TimeoutError` becomes a `DeadlineError` too. The timer never keeps the
 * process alive.
 */
export function withDeadline<T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  const message = `${what} did not finish within ${deadlineMs} ms: metrics not yet exported may be lost (is the OTLP collector reachable?)`;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), deadlineMs);
    timer.unref();
  });
  const translated = work.catch((error: unknown) => {
    throw error instanceof TimeoutError ? new DeadlineError(message) : error;
  });
  return Promise.race([translated, expired]).finally(() => clearTimeout(timer));
}
