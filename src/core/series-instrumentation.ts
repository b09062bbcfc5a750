import { MeasuringInstrumentation } from './measuring-instrumentation.js';
import type { OperationHandle } from './operation-handle.js';
import type { OperationConfig, PackageOption } from './operation-instrumentation.js';
import type { OperationSeries } from './operation-series.js';
import { readSafely } from './safe-read.js';
import type { SeriesDomain, SeriesFields } from './series-domain.js';

/**
 * A measuring instrumentation whose operations belong to a series of its {@link SeriesDomain}
 * (workflow, notify): `start()` reads the caller's options safely into the operation's fields
 * ({@link fieldsOf}) and hands them to a new handle ({@link handleOf}).
 */
export abstract class SeriesInstrumentation<
  F extends SeriesFields,
  H extends OperationHandle<F>,
  S extends PackageOption,
  C extends OperationConfig,
  D extends SeriesDomain<F, object>,
> extends MeasuringInstrumentation<F, H, S, C, D> {
  /** Starts one operation of `code`; end it with `end()` or `fail(error)`. */
  start(code: string, options?: S): H {
    const guard = this.recorder.guard;
    return this.handleOf(readSafely(guard, 'options', this.fieldsOf, this, code, options));
  }

  /** The fields of an operation of `code` started with `options` (undefined when unreadable). */
  protected abstract fieldsOf(code: string, options: S | undefined): F;

  /** The handle of an operation started with `fields`. */
  protected abstract handleOf(fields: F): H;

  /**
   * The series of `code` in package `pkg` (the default one when undefined), with `extra`. The
   * arguments are read in their order: a caller passes `options?.package` before the extra value,
   * so an unreadable package is found before the extra value is checked (and counted).
   */
  protected seriesOf(code: string, pkg: unknown, extra = ''): OperationSeries {
    const guard = this.recorder.guard;
    return this.metrics.series.of(guard, code, pkg ?? this.defaultPackage, extra);
  }

  /** The package `pkg` (the default one when undefined), as a series records it. */
  protected packageOf(pkg: unknown): string {
    return this.metrics.series.packageOf(this.recorder.guard, pkg ?? this.defaultPackage);
  }
}
