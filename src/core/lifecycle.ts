import type { Meter, MeterProvider } from '@opentelemetry/api';
import { VERSION } from '../version.js';
import { OpmeterConfigError } from './config-error.js';
import { meterFor } from './instrumentation-options.js';

/** The part of every instrumentation's configuration the lifecycle reads. */
export interface LifecycleConfig {
  /** Where instruments come from. Default: the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
  /** Whether the instrumentation records from construction. Default true; else call `enable()`. */
  enabled?: boolean;
}

/**
 * The OpenTelemetry instrumentation lifecycle, implemented structurally (the `Instrumentation`
 * interface of `@opentelemetry/instrumentation`, which opmeter does not import): every opmeter
 * instrumentation can be handed to `registerInstrumentations()` or to NodeSDK's
 * `instrumentations: [...]`. When a MeterProvider arrives after construction (NodeSDK calls
 * `setMeterProvider` when it starts), {@link updateMetricInstruments} re-creates every instrument
 * on the new meter, so the hot path keeps calling instruments directly.
 *
 * @example
 * const sdk = new NodeSDK({ instrumentations: [new WorkflowInstrumentation()] });
 * sdk.start(); // the workflow instruments now record into the SDK's MeterProvider
 */
export abstract class MeteredInstrumentation<C extends LifecycleConfig> {
  /** The instrumentation scope, `opmeter/<domain>`. */
  readonly instrumentationName: string;
  /** opmeter's version. */
  readonly instrumentationVersion: string;
  /** The meter every instrument of this instrumentation is created on. */
  protected meter: Meter;
  /**
   * The options the instrumentation reads once, at construction (caps, tables, rules): a config
   * handed to {@link setConfig} keeps them when it leaves them out and cannot change them.
   */
  protected readonly constructionOptions: readonly (keyof C)[] = [];
  private config: C;

  /** Reads `config`; subclasses create their instruments with {@link meter} afterwards. */
  constructor(
    protected readonly domain: string,
    config: C,
  ) {
    this.config = withDefaults(config);
    this.meter = meterFor(domain, this.config);
    this.instrumentationName = `opmeter/${domain}`;
    this.instrumentationVersion = VERSION;
  }

  /** Whether the instrumentation records (see {@link enable} and {@link disable}). */
  abstract get isEnabled(): boolean;

  /** Starts recording. */
  abstract enable(): void;

  /** Stops recording; operations started while disabled record nothing. */
  abstract disable(): void;

  /**
   * Re-creates every instrument on {@link meter}: called when a new MeterProvider or
   * configuration arrives (the contrib `_updateMetricInstruments` hook).
   */
  protected abstract updateMetricInstruments(): void;

  /** Tracing is not opmeter's business: accepted and ignored. */
  setTracerProvider(_tracerProvider: unknown): void {}

  /** Records into `meterProvider` from now on: every instrument is re-created on its meter. */
  setMeterProvider(meterProvider: MeterProvider): void {
    const next = { ...this.config, meterProvider };
    this.meter = meterFor(this.domain, next);
    this.config = next;
    this.updateMetricInstruments();
  }

  /** The current configuration (`enabled` defaulted to true). */
  getConfig(): C {
    return this.config;
  }

  /**
   * Replaces the configuration (`enabled` defaulted to true) and re-creates the instruments with
   * it; an invalid configuration throws and leaves the current one in place. A config without
   * `meterProvider` keeps the current provider (the one `setMeterProvider()` set, say), and one
   * without an option read at construction ({@link constructionOptions}) keeps that option.
   * New bucket boundaries apply with a new `meterProvider`: an SDK keeps the boundaries an
   * instrument was first created with (use a View to change them on a running provider).
   * @throws OpmeterConfigError when the config changes an option read at construction.
   */
  setConfig(config: C): void {
    const next = withDefaults(config);
    next.meterProvider ??= this.config.meterProvider;
    for (const key of this.constructionOptions) {
      if (next[key] === undefined) next[key] = this.config[key];
      else if (!Object.is(next[key], this.config[key])) {
        throw new OpmeterConfigError(
          `${this.instrumentationName}: setConfig() cannot change ${String(key)}, which is read ` +
            'once at construction; leave it out (or pass the current value from getConfig()), ' +
            'or create a new instrumentation with the new value',
        );
      }
    }
    this.validateConfig(next);
    if (next.meterProvider !== this.config.meterProvider) this.meter = meterFor(this.domain, next);
    this.config = next;
    this.updateMetricInstruments();
  }

  /** Throws when `config` cannot be used (subclasses check their own options). */
  protected validateConfig(_config: C): void {}
}

function withDefaults<C extends LifecycleConfig>(config: C): C {
  return { enabled: true, ...config };
}
