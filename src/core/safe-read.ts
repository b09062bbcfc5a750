import { diag } from '@opentelemetry/api';
import { ADJUSTMENT_UNREADABLE } from './self-metrics.js';

/** Where an unreadable input is counted: an {@link InputGuard}, or nothing. */
export interface UnreadableCounter {
  /** Counts one adjustment of `field` for `reason`. */
  count(field: string, reason: string): void;
}

/**
 * Copies out of a caller's object (`input`) the plain values a call needs, with `context` as
 * `this` and `arg` for what else it needs; given `undefined`, it returns the defaults. It may only
 * have effects that can happen twice (building a cached series, counting an adjustment).
 */
export type InputReader<C, A, I, T> = (this: C, arg: A, input: I | undefined) => T;

/**
 * The one way an entry point reads a caller's options, tags, result or state object, so that no
 * object can throw into the caller: `read` runs on it; when that throws — a getter that throws, a
 * revoked Proxy, a Proxy whose `get` or `ownKeys` trap throws — the failure is counted as
 * `unreadable` for `field` (when `counter` is given), logged at debug level, and `read` runs
 * again without the object, so the call goes on with its defaults. A well-behaved object costs
 * one call and nothing else: no copy, no allocation beyond what `read` builds.
 */
export function readSafely<C, A, I, T>(
  counter: UnreadableCounter | undefined,
  field: string,
  read: InputReader<C, A, I, T>,
  context: C,
  arg: A,
  input: I | undefined,
): T {
  try {
    return read.call(context, arg, input);
  } catch (error) {
    counter?.count(field, ADJUSTMENT_UNREADABLE);
    diag.debug(`opmeter: the ${field} given could not be read; its defaults are used`, error);
    return read.call(context, arg, undefined);
  }
}
