import { type MethodDecorator, measuringDecorator } from './decorate.js';
import type { OperationHandle } from './operation-handle.js';
import {
  type BoundDomain,
  type OperationConfig,
  OperationInstrumentation,
} from './operation-instrumentation.js';
import type { ItemsOf } from './operation-recorder.js';
import { requireFunction } from './require-function.js';
import { readSafely } from './safe-read.js';

/** Options of an operation run by `run()` / `wrap()` / `@measure()`, besides its start options. */
export interface RunOptions<R = unknown> {
  /** Derives the items processed from the result of the function or method. */
  itemsOf?: ItemsOf<R>;
}

/**
 * An operation instrumentation whose operations are started by name: the one implementation of
 * the three equivalent forms — `run()` / `wrap()`, an explicit handle from `start()`, and the
 * `@measure()` decorator. A domain implements {@link start}; `S` are its start options.
 */
export abstract class MeasuringInstrumentation<
  F,
  H extends OperationHandle<F>,
  S extends object,
  C extends OperationConfig,
  D extends BoundDomain<F> = BoundDomain<F>,
> extends OperationInstrumentation<F, C, D> {
  /** Starts one operation `name`; end it with `end()` or `fail(error)`. */
  abstract start(name: string, options?: S): H;

  /** Runs `fn` as one operation `name` (sync or async) and returns its result. */
  run<R>(name: string, fn: (handle: H) => R, options?: S & RunOptions<Awaited<R>>): R {
    requireFunction(fn, this.recorder.domain.name, 'run', name, 'fn');
    const itemsOf = this.itemsOf(options);
    const handle = this.start(name, options);
    return this.recorder.invoke(handle, fn, undefined, [handle], itemsOf);
  }

  /** Returns `fn` wrapped so that every call is one operation `name`. */
  wrap<A extends unknown[], R>(
    name: string,
    fn: (...args: A) => R,
    options?: S & RunOptions<Awaited<R>>,
  ): (...args: A) => R {
    requireFunction(fn, this.recorder.domain.name, 'wrap', name, 'fn');
    const call = this.caller(name, options);
    return function (this: unknown, ...args: A): R {
      return call(fn, this, args);
    };
  }

  /** A TC39 method decorator: every call of the method is one operation `name`. */
  measure(name: string, options?: S & RunOptions): MethodDecorator {
    return measuringDecorator('measure', this.caller(name, options));
  }

  /** The `itemsOf` option, read safely (an unreadable options object has none). */
  private itemsOf<R>(options: RunOptions<R> | undefined): ItemsOf<R> | undefined {
    return readSafely(
      this.recorder.guard,
      'options',
      itemsOfOption<R>,
      undefined,
      undefined,
      options,
    );
  }

  private caller(name: string, options: (S & RunOptions<never>) | undefined) {
    const itemsOf = this.itemsOf(options) as ItemsOf<unknown> | undefined;
    const recorder = this.recorder;
    return <A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, args: A): R => {
      if (!recorder.isLive()) return fn.apply(thisArg, args);
      return recorder.invoke(this.start(name, options), fn, thisArg, args, itemsOf);
    };
  }
}

function itemsOfOption<R>(
  _: undefined,
  options: RunOptions<R> | undefined,
): ItemsOf<R> | undefined {
  return options?.itemsOf;
}
