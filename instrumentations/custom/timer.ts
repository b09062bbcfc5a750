import { monotonicSeconds } from '../../src/core/clock.js';
import type { Timer } from './types.js';

/** A timer that measures nothing: what `timer()` returns while the facade is off. */
export const NOOP_TIMER: Timer = Object.assign(() => 0, { [Symbol.dispose]() {} });

/**
 * Starts a timer: the returned function records the elapsed seconds through `record` the first
 * time it is called (or disposed, with `using`) and returns them; a later call returns the same
 * figure and reports `onRepeat` instead of recording twice.
 */
export function startTimer(record: (seconds: number) => void, onRepeat: () => void): Timer {
  const startedAt = monotonicSeconds();
  let elapsed: number | undefined;
  const stop = (): number => {
    if (elapsed !== undefined) {
      onRepeat();
      return elapsed;
    }
    elapsed = Math.max(0, monotonicSeconds() - startedAt);
    record(elapsed);
    return elapsed;
  };
  return Object.assign(stop, {
    [Symbol.dispose](): void {
      if (elapsed === undefined) stop();
    },
  });
}
