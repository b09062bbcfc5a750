import { printable } from './printable.js';

/**
 * Checks the function an entry point runs or wraps (`workflow.run(code, fn)`), before anything is
 * measured: without one, the call is a programming error, reported as one instead of as a failed
 * operation and a `fn.apply is not a function`. Builds nothing unless it throws.
 * @throws TypeError naming the call (`owner.method`) with the name it was given (a code, a
 * metric, a queue), the argument that should be a function, and what it was given.
 * @example requireFunction(fn, 'workflow', 'run', code, 'fn')
 */
export function requireFunction(
  fn: unknown,
  owner: string,
  method: string,
  name: unknown,
  argument: string,
): void {
  if (typeof fn === 'function') return;
  const given = fn === null ? 'null' : typeof fn;
  throw new TypeError(
    `${owner}.${method}(${JSON.stringify(printable(name))}): ${argument} must be a function, got ${given}`,
  );
}
