/** Emits at most one warning per key and interval, counting the ones it held back. */
export class RateLimitedWarner {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  /** Creates a warner writing to `sink` at most once per `intervalMs` for each key. */
  constructor(
    private readonly sink: (message: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Warns `message` unless a warning with the same `key` went out less than an interval ago. */
  warn(key: string, message: string): void {
    const now = this.now();
    const state = this.last.get(key);
    if (state && now - state.at < this.intervalMs) {
      state.suppressed += 1;
      return;
    }
    const held = state?.suppressed ? ` (${state.suppressed} similar warnings held back)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    try {
      this.sink(`opmeter def_metric: ${message}${held}`);
    } catch {
      // A failing warning sink must not break the writer.
    }
  }
}

/** The default warning sink: `process.emitWarning` with type `OpmeterWarning`. */
export function emitProcessWarning(message: string): void {
  process.emitWarning(message, { type: 'OpmeterWarning' });
}
