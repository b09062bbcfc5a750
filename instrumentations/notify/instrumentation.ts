import { NOTIFY_DURATION_PRESETS, resolveBuckets } from '../../src/core/buckets.js';
import { type MethodDecorator, measuringDecorator } from '../../src/core/decorate.js';
import { meterFor } from '../../src/core/instrumentation-options.js';
import { type ItemsOf, OperationRecorder } from '../../src/core/operation-recorder.js';
import { NotifyAttributeCache } from './attribute-cache.js';
import { channelOf } from './channel.js';
import { NotifyMetrics } from './notify-metrics.js';
import { type NotifyFields, NotifySend } from './notify-send.js';
import { ATTR_NOTIFY_CHANNEL, ATTR_NOTIFY_CODE, ATTR_PACKAGE, DEFAULT_PACKAGE } from './semconv.js';
import type {
  NotifyInstrumentationConfig,
  NotifyRunOptions,
  NotifyStartOptions,
  QueueDepthOptions,
} from './types.js';

/**
 * Measures notification sends: duration by notify code and channel, outcome, recipients,
 * delivered and failed counts, and queue depth, plus a `def_notify_metric` row per send when a
 * row sink is configured. Three equivalent ways: `run()` / `wrap()`, an explicit handle from
 * `start()`, and the `@measure()` decorator.
 *
 * @example
 * const notify = new NotifyInstrumentation(metrics);
 * await notify.run('WELCOME', async (send) => { await mailer.send(to); send.delivered(to.length); },
 *   { channel: 'email', package: 'crm', recipients: to.length });
 */
export class NotifyInstrumentation {
  private readonly metrics: NotifyMetrics;
  private readonly recorder: OperationRecorder<NotifyFields>;
  private readonly attributes = new NotifyAttributeCache();
  private readonly defaultPackage: string;

  /** Creates the notify instruments; invalid bucket or SLO lists throw here. */
  constructor(config: NotifyInstrumentationConfig = {}) {
    const meter = meterFor('notify', config);
    const boundaries = resolveBuckets(config.buckets, NOTIFY_DURATION_PRESETS, config.slo);
    this.metrics = new NotifyMetrics(meter, boundaries);
    this.recorder = new OperationRecorder(this.metrics, meter, config);
    this.defaultPackage = config.defaultPackage ?? DEFAULT_PACKAGE;
  }

  /** Starts a send of notify `code`; end it with `end()` or `fail(error)`. */
  start(code: string, options?: NotifyStartOptions): NotifySend {
    const opts = options ?? {};
    const guard = this.recorder.guard;
    const safeCode = guard.text(code, ATTR_NOTIFY_CODE);
    const pkg = guard.text(opts.package ?? this.defaultPackage, ATTR_PACKAGE);
    const channel = channelOf(opts.channel);
    const fields: NotifyFields = {
      code: safeCode,
      package: pkg,
      channel,
      attributes: this.attributes.get(safeCode, pkg, channel),
      recipients:
        opts.recipients === undefined ? 0 : guard.nonNegative(opts.recipients, 'recipients'),
      failed: 0,
      queueDepth: undefined,
    };
    const send = new NotifySend(this.recorder, safeCode, fields, this.metrics);
    if (opts.queueDepth !== undefined) send.queueDepth(opts.queueDepth);
    return send;
  }

  /** Runs `fn` as one send of notify `code` (sync or async) and returns its result. */
  run<R>(code: string, fn: (send: NotifySend) => R, options?: NotifyRunOptions<Awaited<R>>): R {
    const send = this.start(code, options);
    return this.recorder.invoke(send, fn, undefined, [send], options?.itemsOf);
  }

  /** Returns `fn` wrapped so that every call is one send of notify `code`. */
  wrap<A extends unknown[], R>(
    code: string,
    fn: (...args: A) => R,
    options?: NotifyRunOptions<Awaited<R>>,
  ): (...args: A) => R {
    const call = this.caller(code, options ?? {});
    return function (this: unknown, ...args: A): R {
      return call(fn, this, args);
    };
  }

  /** A TC39 method decorator: every call of the method is one send of notify `code`. */
  measure(code: string, options?: NotifyRunOptions): MethodDecorator {
    return measuringDecorator('measure', this.caller(code, options ?? {}));
  }

  /** Records the depth of a channel's queue on the `notify.queue.depth` gauge. */
  recordQueueDepth(depth: number, options?: QueueDepthOptions): void {
    const guard = this.recorder.guard;
    const pkg = guard.text(options?.package ?? this.defaultPackage, ATTR_PACKAGE);
    const attributes = { [ATTR_PACKAGE]: pkg, [ATTR_NOTIFY_CHANNEL]: channelOf(options?.channel) };
    this.metrics.queueDepth(attributes, guard.nonNegative(depth, 'queue_depth'));
  }

  private caller<T>(code: string, options: NotifyRunOptions<T>) {
    const itemsOf = options.itemsOf as ItemsOf<unknown> | undefined;
    return <A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, args: A): R => {
      const send = this.start(code, options);
      return this.recorder.invoke(send, fn, thisArg, args, itemsOf);
    };
  }
}
