import { isRecordingEnabled } from './switch.js';

/** Signature of a TC39 standard class-method decorator. */
export type MethodDecorator = <This, A extends unknown[], R>(
  method: (this: This, ...args: A) => R,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
) => (this: This, ...args: A) => R;

/** Runs one measured call of `method` (what a domain's wrapper does for one invocation). */
export type MeasuredCall = <A extends unknown[], R>(
  method: (...args: A) => R,
  thisArg: unknown,
  args: A,
) => R;

/**
 * Builds a TC39 standard method decorator named `decoratorName` that runs every call through
 * `call`. It throws at class definition when applied to anything but a method (a field, getter,
 * class, or under `experimentalDecorators`), so a misplaced decorator never silently records
 * nothing. With recording switched off, the method is called directly.
 */
export function measuringDecorator(decoratorName: string, call: MeasuredCall): MethodDecorator {
  return (method, context) => {
    assertMethodContext(decoratorName, context);
    return function (this, ...args) {
      if (!isRecordingEnabled()) return method.apply(this, args);
      return call(method, this, args);
    };
  };
}

function assertMethodContext(decoratorName: string, context: unknown): void {
  const kind = (context as { kind?: unknown } | null)?.kind;
  if (typeof context !== 'object' || context === null || kind === undefined) {
    throw new TypeError(
      `@${decoratorName} is a TC39 standard decorator but was called with legacy decorator ` +
        'arguments: remove "experimentalDecorators" from tsconfig.json (TypeScript >= 5.0)',
    );
  }
  if (kind !== 'method') {
    throw new TypeError(
      `@${decoratorName} can only decorate a class method, not a ${String(kind)}` +
        `${typeof (context as { name?: unknown }).name === 'string' ? ` (${String((context as { name: string }).name)})` : ''}; ` +
        "move it onto a method, or wrap the function with the instrumentation's wrap()",
    );
  }
}
