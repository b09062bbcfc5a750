import { NOTIFY_DURATION_PRESETS } from '../../src/core/buckets.js';
import { MeasuringInstrumentation } from '../../src/core/measuring-instrumentation.js';
import { NotifyAttributeCache } from './attribute-cache.js';
import { channelOf } from './channel.js';
import { NotifyMetrics } from './notify-metrics.js';
import { type NotifyFields, NotifySend } from './notify-send.js';
import { ATTR_NOTIFY_CHANNEL, ATTR_NOTIFY_CODE, ATTR_PACKAGE } from './semconv.js';
import type {
  NotifyInstrumentationConfig,
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
export class NotifyInstrumentation extends MeasuringInstrumentation<
  NotifyFields,
  NotifySend,
  NotifyStartOptions,
  NotifyInstrumentationConfig
> {
  private readonly metrics: NotifyMetrics;
  private readonly attributes = new NotifyAttributeCache();

  /** Creates the notify instruments; invalid bucket or SLO lists throw here. */
  constructor(config: NotifyInstrumentationConfig = {}) {
    const metrics = new NotifyMetrics();
    super(metrics, NOTIFY_DURATION_PRESETS, config);
    this.metrics = metrics;
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

  /** Records the depth of a channel's queue on the `notify.queue.depth` gauge. */
  recordQueueDepth(depth: number, options?: QueueDepthOptions): void {
    const guard = this.recorder.guard;
    const pkg = guard.text(options?.package ?? this.defaultPackage, ATTR_PACKAGE);
    const attributes = { [ATTR_PACKAGE]: pkg, [ATTR_NOTIFY_CHANNEL]: channelOf(options?.channel) };
    this.metrics.queueDepth(attributes, guard.nonNegative(depth, 'queue_depth'));
  }
}
