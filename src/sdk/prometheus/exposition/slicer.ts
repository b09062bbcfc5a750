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
   * Lets the event loop turn once, then starts a new slice; rejects if the signal was aborted.
   * Called from a slice, which runs in the loop's check phase, the one immediate waits for the
   * next turn: its timers and I/O callbacks run first.
   */
  async yield(): Promise<void> {
    await nextTurn();
    this.#startSlice();
  }

  /**
   * {@link yield} for a job called from anywhere else: an I/O callback (a scrape's request), a
   * timer, or a promise one of them resolved (the SDK's collection). From there one immediate runs
   * in the same turn's check phase, before any timer, so the work before and the first slice would
   * hold the loop as one stretch; the second immediate, queued from the check phase, waits for the
   * next turn.
   */
  async yieldWholeTurn(): Promise<void> {
    await nextTurn();
    await nextTurn();
    this.#startSlice();
  }

  #startSlice(): void {
    this.#signal?.throwIfAborted();
    this.#sliceEnd = performance.now() + this.#sliceMs;
  }
}
