/** Keys tracked one by one; warnings of further keys share one limit ({@link RateLimitedWarner}). */
export const WARNER_MAX_KEYS = 256;
/** Longest key kept (longer ones are cut: they then share a limit with keys of the same start). */
const MAX_KEY_LENGTH = 200;
/** Longest message sent; the rest is replaced by an ellipsis. */
export const WARNER_MAX_MESSAGE_LENGTH = 500;
/** The shared key of warnings whose own key found no room. */
const OVERFLOW_KEY = '\u0000overflow';

interface KeyState {
  at: number;
  suppressed: number;
}

/**
 * Emits at most one warning per key and interval, counting the ones it held back. Memory and
 * output stay bounded whatever the keys: at most {@link WARNER_MAX_KEYS} keys are tracked (keys whose
 * interval has passed make room first); a warning whose key finds no room falls under one shared
 * key, so a flood of distinct keys yields at most one more warning per interval; messages are cut at
 * {@link WARNER_MAX_MESSAGE_LENGTH} characters.
 */
export class RateLimitedWarner {
  /** Ordered by the time of each key's last warning, oldest first. */
  private readonly last = new Map<string, KeyState>();

  /** Creates a warner writing to `sink` at most once per `intervalMs` for each key. */
  constructor(
    private readonly sink: (message: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Warns `message` unless a warning with the same `key` went out less than an interval ago. */
  warn(key: string, message: string): void {
    const now = this.now();
    const own = key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
    const tracked = this.last.has(own) || this.makeRoom(now) ? own : OVERFLOW_KEY;
    const state = this.last.get(tracked);
    if (state && now - state.at < this.intervalMs) {
      state.suppressed += 1;
      return;
    }
    const held = state?.suppressed ? ` (${state.suppressed} similar warnings held back)` : '';
    const others = tracked === OVERFLOW_KEY ? ' (one of many kinds of warnings)' : '';
    this.last.delete(tracked);
    this.last.set(tracked, { at: now, suppressed: 0 });
    try {
      this.sink(`opmeter def_metric: ${cut(message)}${others}${held}`);
    } catch {
      // A failing warning sink must not break the writer.
    }
  }

  /** Number of keys tracked now (at most {@link WARNER_MAX_KEYS} + 1). */
  get trackedKeys(): number {
    return this.last.size;
  }

  /** True when a new key may be tracked, after forgetting keys whose interval has passed. */
  private makeRoom(now: number): boolean {
    for (const [key, state] of this.last) {
      if (this.ownKeys() < WARNER_MAX_KEYS) break;
      if (key === OVERFLOW_KEY) continue;
      if (now - state.at < this.intervalMs) break;
      this.last.delete(key);
    }
    return this.ownKeys() < WARNER_MAX_KEYS;
  }

  private ownKeys(): number {
    return this.last.size - (this.last.has(OVERFLOW_KEY) ? 1 : 0);
  }
}

function cut(message: string): string {
  return message.length > WARNER_MAX_MESSAGE_LENGTH
    ? `${message.slice(0, WARNER_MAX_MESSAGE_LENGTH)}…`
    : message;
}

/** The default warning sink: `process.emitWarning` with type `OpmeterWarning`. */
export { emitProcessWarning } from '../../core/warning.js';
