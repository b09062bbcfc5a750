import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default longest stretch of rendering between two turns of the event loop. */
export const DEFAULT_SLICE_MS = 4;

/**
 * Cuts a long synchronous job into slices of about `sliceMs`: the job asks {@link Slicer.due}
 * between small steps (cheap: one clock read) and awaits {@link Slicer.yield} when it says so,
 * letting timers, I/O and other requests run. An aborted `signal` stops the job at the next yield.
 */
export class Slicer {
  #sliceMs = DEFAULT_SLICE_MS;
  #signal: AbortSignal | undefined;
  #sliceEnd = 0;

  /** Starts the first slice now. */
  constructor(sliceMs = DEFAULT_SLICE_MS, signal?: AbortSignal) {
    this.start(sliceMs, signal);
  }

  /** Starts a new job, of slices of `sliceMs` stopped by `signal`, with its first slice now. */
  start(sliceMs = DEFAULT_SLICE_MS, signal?: AbortSignal): this {
    this.#sliceMs = sliceMs;
    this.#signal = signal;
    this.#sliceEnd = performance.now() + sliceMs;
    return this;
  }

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() >= this.#sliceEnd;
  }

  /**
   * Lets the event loop make one whole turn (its timers, I/O callbacks and immediates), then
   * starts a new slice; rejects if the signal was aborted. One immediate is not enough: called
   * from an I/O callback (a scrape's request, the collection that follows it), it runs in the
   * same turn's check phase, before any timer, so the collection and the first slice would hold
   * the loop as one stretch. The second immediate is queued from the check phase, so it waits
   * for the next turn.
   */
  async yield(): Promise<void> {
    await nextTurn();
    await nextTurn();
    this.#signal?.throwIfAborted();
    this.#sliceEnd = performance.now() + this.#sliceMs;
  }
}
