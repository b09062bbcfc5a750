/** A cheap check of whether the database answers again: resolves if it does, rejects if not. */
export type HealthProbe = () => Promise<void>;

/**
 * The delay before retrying a failed write: doubles on each failure up to a maximum, is jittered
 * (between half and all of the nominal delay, so many writers do not retry in step), can be cut
 * short by a health probe that succeeds, and can be interrupted.
 */
export class RetryBackoff {
  private delay: number;
  private wake: (() => void) | undefined;
  private waits = 0;

  /** Starts at `initialMs` and never exceeds `maxMs`; `random` returns a number in [0, 1). */
  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.delay = Math.min(initialMs, maxMs);
  }

  /** The nominal delay of the next `wait()`: it sleeps between half of it and all of it. */
  get delayMs(): number {
    return this.delay;
  }

  /** Whether `wait()` was called since the last `reset()`: the last attempt failed and none has succeeded since. */
  get failing(): boolean {
    return this.waits > 0;
  }

  /** Back to the initial delay, after a success. */
  reset(): void {
    this.delay = Math.min(this.initialMs, this.maxMs);
    this.waits = 0;
  }

  /**
   * Sleeps the current jittered delay without holding the process open, then doubles it. With a
   * `probe`, starts one every `probeEveryMs` while sleeping — without waiting for the previous one,
   * which may hang on a silent database until its own timeout — and returns as soon as one
   * succeeds. Returns whether a probe succeeded.
   */
  async wait(probe?: HealthProbe, probeEveryMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    this.waits += 1;
    const sleepMs = this.delay / 2 + (this.random() * this.delay) / 2;
    this.delay = Math.min(this.delay * 2, this.maxMs);
    let woken = false;
    let answered = false;
    let wake!: () => void;
    const wakeUp = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.wake = () => {
      woken = true;
      wake();
    };
    try {
      const until = Date.now() + sleepMs;
      for (;;) {
        const left = until - Date.now();
        if (left <= 0) return false;
        await sleep(Math.min(left, probeEveryMs), wakeUp);
        if (answered) return true;
        if (woken || probe === undefined || Date.now() >= until) return false;
        let probing: Promise<void>;
        try {
          probing = probe();
        } catch (error) {
          probing = Promise.reject(error);
        }
        probing.then(
          () => {
            answered = true;
            wake();
          },
          () => undefined,
        );
        // An answer wakes the next sleep at once.
      }
    } finally {
      this.wake = undefined;
    }
  }

  /** Ends the current `wait()` at once, if one is sleeping. */
  interrupt(): void {
    this.wake?.();
  }
}

/** Resolves after `ms` or when `interruption` settles, whichever is first; holds the process open for neither. */
async function sleep(ms: number, interruption: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
        timer.unref();
      }),
      interruption,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
