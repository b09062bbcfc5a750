import diagnosticsChannel from 'node:diagnostics_channel';
import { diag, type Histogram } from '@opentelemetry/api';
import { HTTP_DURATION_PRESETS, resolveBuckets } from '../../../src/core/buckets.js';
import { monotonicSeconds } from '../../../src/core/clock.js';
import { positiveInteger } from '../../../src/core/config-validation.js';
import { errorTypeOf } from '../../../src/core/error-classification.js';
import { InputGuard } from '../../../src/core/input-guard.js';
import { validateInstrumentName } from '../../../src/core/instrument-name.js';
import { durationHistogram } from '../../../src/core/instruments.js';
import { MeteredInstrumentation } from '../../../src/core/lifecycle.js';
import { printable } from '../../../src/core/printable.js';
import { readSafely } from '../../../src/core/safe-read.js';
import { isRecordingEnabled } from '../../../src/core/switch.js';
import { MethodNormalizer } from '../http-method.js';
import { METRIC_HTTP_CLIENT_REQUEST_DURATION } from '../semconv.js';
import type { FetchInstrumentationConfig } from '../types.js';
import { OriginSeries } from './origin-series.js';

/** The undici diagnostics channels subscribed to. */
export const UNDICI_CHANNELS = Object.freeze({
  create: 'undici:request:create',
  headers: 'undici:request:headers',
  trailers: 'undici:request:trailers',
  error: 'undici:request:error',
});

/** The subset of an undici request that is read (never its path). */
interface UndiciRequestLike {
  origin?: unknown;
  method?: unknown;
}

interface InFlight {
  readonly startedAt: number;
  readonly origin: string;
  readonly method: string;
  status: number | undefined;
}

interface RequestMessage {
  request: UndiciRequestLike;
}

/**
 * Measures outgoing HTTP requests made with Node's built-in `fetch` (and the `undici` package)
 * as `http.client.request.duration`, without changing any call: it listens on undici's
 * diagnostics channels. A request is measured from its creation until its response body has
 * been read to the end (or it fails); a response whose body is never consumed is not recorded.
 *
 * @example
 * const client = new FetchInstrumentation(metrics); // subscribed at once
 * await fetch('https://api.example.com/users/42');
 * client.disable();
 */
export class FetchInstrumentation extends MeteredInstrumentation<FetchInstrumentationConfig> {
  private duration!: Histogram;
  private readonly guard: InputGuard;
  private readonly methods: MethodNormalizer;
  private readonly series: OriginSeries;
  protected override readonly constructionOptions: readonly (keyof FetchInstrumentationConfig)[] = [
    'maxOrigins',
    'knownMethods',
  ];
  private readonly inFlight = new WeakMap<object, InFlight>();
  private subscribed = false;

  /** Creates the client instrument and subscribes unless `enabled: false`. */
  constructor(config: FetchInstrumentationConfig = {}) {
    const maxOrigins = positiveInteger(
      'FetchInstrumentation',
      'maxOrigins',
      config.maxOrigins,
      100,
    );
    super('http-client', config);
    this.guard = new InputGuard(this.meter, 'http-client');
    this.createDuration();
    this.methods = new MethodNormalizer(config.knownMethods);
    this.series = new OriginSeries(maxOrigins);
    if (config.enabled !== false) this.enable();
  }

  /** Whether the instrumentation is subscribed to the undici channels. */
  get enabled(): boolean {
    return this.subscribed;
  }

  /** Whether the instrumentation is subscribed to the undici channels (lifecycle name). */
  get isEnabled(): boolean {
    return this.subscribed;
  }

  protected override validateConfig(config: FetchInstrumentationConfig): void {
    resolveBuckets(config.buckets, HTTP_DURATION_PRESETS);
    durationNameOf(config);
  }

  /** Re-creates the duration histogram and the guard's counters on the current meter. */
  protected updateMetricInstruments(): void {
    this.guard.bind(this.meter);
    this.createDuration();
  }

  private createDuration(): void {
    const config = this.getConfig();
    this.duration = durationHistogram(
      this.meter,
      durationNameOf(config),
      'Duration of HTTP client requests',
      resolveBuckets(config.buckets, HTTP_DURATION_PRESETS),
    );
  }

  /** Subscribes to the undici channels (idempotent). */
  enable(): this {
    if (this.subscribed) return this;
    diagnosticsChannel.subscribe(UNDICI_CHANNELS.create, this.onCreate);
    diagnosticsChannel.subscribe(UNDICI_CHANNELS.headers, this.onHeaders);
    diagnosticsChannel.subscribe(UNDICI_CHANNELS.trailers, this.onTrailers);
    diagnosticsChannel.subscribe(UNDICI_CHANNELS.error, this.onError);
    this.subscribed = true;
    return this;
  }

  /** Unsubscribes; requests in flight are no longer recorded (idempotent). */
  disable(): this {
    if (!this.subscribed) return this;
    diagnosticsChannel.unsubscribe(UNDICI_CHANNELS.create, this.onCreate);
    diagnosticsChannel.unsubscribe(UNDICI_CHANNELS.headers, this.onHeaders);
    diagnosticsChannel.unsubscribe(UNDICI_CHANNELS.trailers, this.onTrailers);
    diagnosticsChannel.unsubscribe(UNDICI_CHANNELS.error, this.onError);
    this.subscribed = false;
    return this;
  }

  private readonly onCreate = (message: unknown): void => {
    if (!isRecordingEnabled()) return;
    const request = (message as RequestMessage).request;
    if (typeof request !== 'object' || request === null) return;
    const state = readSafely(this.guard, 'request', this.stateOf, this, 0, request);
    if (state !== undefined) this.inFlight.set(request, state);
  };

  private readonly onHeaders = (message: unknown): void => {
    const { request, response } = message as RequestMessage & { response?: unknown };
    const state = this.inFlight.get(request);
    if (state === undefined) return;
    const status = readSafely(this.guard, 'response', statusOf, undefined, 0, response);
    if (status !== undefined) state.status = status;
  };

  private readonly onTrailers = (message: unknown): void => {
    const request = (message as RequestMessage).request;
    const state = this.inFlight.get(request);
    if (state === undefined) return;
    const status = state.status;
    this.finish(request, state, status !== undefined && status >= 400 ? String(status) : undefined);
  };

  private readonly onError = (message: unknown): void => {
    const { request, error } = message as RequestMessage & { error?: unknown };
    const state = this.inFlight.get(request);
    if (state !== undefined) this.finish(request, state, errorTypeOf(error));
  };

  /** What is kept of an undici `request` while it is in flight (nothing without one). */
  private stateOf(_: number, request: UndiciRequestLike | undefined): InFlight | undefined {
    if (request === undefined) return undefined;
    const method = request.method;
    return {
      startedAt: monotonicSeconds(),
      origin: printable(request.origin),
      method: this.methods.normalize(typeof method === 'string' ? method : undefined),
      status: undefined,
    };
  }

  private finish(request: object, state: InFlight, errorType: string | undefined): void {
    this.inFlight.delete(request);
    try {
      const seconds = Math.max(monotonicSeconds() - state.startedAt, 0);
      this.duration.record(
        seconds,
        this.series.attributes(state.origin, state.method, state.status, errorType),
      );
    } catch (error) {
      this.guard.internalError();
      diag.warn('opmeter: recording an outgoing HTTP request failed', error);
    }
  }
}

/** The status code of an undici response, when it has a numeric one. */
function statusOf(_: number, response: unknown): number | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const status = (response as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The name of the client duration histogram (checked: a bad one would break every scrape). */
function durationNameOf(config: FetchInstrumentationConfig): string {
  return validateInstrumentName(
    config.durationMetricName ?? METRIC_HTTP_CLIENT_REQUEST_DURATION,
    'FetchInstrumentation: durationMetricName',
  );
}
