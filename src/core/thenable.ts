import type { InputGuard } from './input-guard.js';
import { ADJUSTMENT_UNREADABLE_THEN } from './self-metrics.js';

/** A thenable's `then`, called with the result as `this`. */
export type ThenMethod = (
  onFulfilled: (value: never) => void,
  onRejected: (error: unknown) => void,
) => unknown;

/** What reading a result's `then` gave: the error, when reading it threw. */
export interface UnreadableThen {
  readonly unreadable: unknown;
}

/**
 * The `then` method of a thenable result (an object or a function), `undefined` for any other
 * value, or the error (counted by `guard` as `unreadable_then`, field `result`) when reading it
 * throws: a getter that throws, a revoked Proxy. What every measured call (`run()`, `wrap()`,
 * `time()`) reads its result with.
 */
export function thenOf(
  result: unknown,
  guard: InputGuard,
): ThenMethod | UnreadableThen | undefined {
  if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
    return undefined;
  }
  try {
    const then = (result as { then?: unknown }).then;
    return typeof then === 'function' ? (then as ThenMethod) : undefined;
  } catch (error) {
    guard.count('result', ADJUSTMENT_UNREADABLE_THEN);
    return { unreadable: error };
  }
}

/** The `then` of native promises: a promise that has it needs no adopting. */
const NATIVE_THEN = Promise.prototype.then;

/**
 * `result` as a promise, as `await` would take it: a native promise as it is (one given a `then`
 * of its own is followed by the native `then`, as `await` follows it); any other thenable adopted
 * by a promise first: it settles once, whatever its `then` does (calls back twice, late,
 * synchronously, or throws).
 */
export function adopt<R>(result: R, then: ThenMethod): Promise<Awaited<R>> {
  if (result instanceof Promise) {
    if (then === NATIVE_THEN) return result as Promise<Awaited<R>>;
    return new Promise<Awaited<R>>((resolve, reject) => {
      NATIVE_THEN.call(result, resolve, reject);
    });
  }
  return new Promise<Awaited<R>>((resolve, reject) => {
    then.call(result, resolve, reject);
  });
}
