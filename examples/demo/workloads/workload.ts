import { inSpan } from '../tracing.js';

/** A simulated workload: started once, stopped on shutdown (resolves when its loops have ended). */
export interface Workload {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * Runs `tick` again and again until stopped, each run inside a span, waiting `pauseMs()` between runs. Errors thrown by
 * `tick` are expected (simulated failures) and swallowed here: opmeter has already recorded them.
 */
export function loop(name: string, tick: () => Promise<unknown>, pauseMs: () => number): Workload {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (running) {
      await inSpan(name, tick).catch(() => undefined);
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pauseMs());
      });
    }
  })();
  return {
    name,
    async stop() {
      running = false;
      clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}
