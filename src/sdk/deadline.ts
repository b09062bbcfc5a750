/** Thrown when an operation did not finish within its deadline; the operation may go on. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/**
 * Settles with `work` or rejects with a {@link DeadlineError} after `deadlineMs`, whichever comes
 * first. The timer never keeps the process alive.
 */
export function withDeadline<T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DeadlineError(`${what} did not finish within ${deadlineMs} ms`));
    }, deadlineMs);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
