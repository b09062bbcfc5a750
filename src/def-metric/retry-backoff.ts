/** The delay before retrying a failed write: doubles on each failure up to a maximum, and can be cut short. */
export class RetryBackoff {
  private delay: number;
  private wake: (() => void) | undefined;

  /** Starts at `initialMs` and never exceeds `maxMs`. */
  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {
    this.delay = initialMs;
  }

  /** The delay the next `wait()` sleeps. */
  get delayMs(): number {
    return this.delay;
  }

  /** Back to the initial delay, after a success. */
  reset(): void {
    this.delay = this.initialMs;
  }

  /** Sleeps the current delay (without holding the process open), then doubles it. */
  async wait(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.delay);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
    this.delay = Math.min(this.delay * 2, this.maxMs);
  }

  /** Ends the current `wait()` at once, if one is sleeping. */
  interrupt(): void {
    this.wake?.();
  }
}
