import type { CloseOptions } from './row-writer.js';

/** Something that can be closed with a deadline, like the def_metric writer. */
export interface Closable {
  /** Writes what is waiting, then releases resources. */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Closes `writer` when the process receives one of `signals` (default SIGTERM and SIGINT), then
 * re-raises the signal if no other handler is listening, so the process ends as it would have.
 * Returns a function that removes the handlers.
 */
export function closeOnSignals(
  writer: Closable,
  options: CloseOptions & { readonly signals?: readonly NodeJS.Signals[] } = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const remove = (): void => {
    for (const signal of signals) process.off(signal, handler);
  };
  function handler(signal: NodeJS.Signals): void {
    remove();
    void writer
      .close(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs })
      .finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
  }
  for (const signal of signals) process.once(signal, handler);
  return remove;
}
