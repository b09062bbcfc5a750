import { type BucketPresets, type DurationBuckets, resolveBuckets } from './buckets.js';
import type { InstrumentationOptions } from './instrumentation-options.js';
import { type LifecycleConfig, MeteredInstrumentation } from './lifecycle.js';
import type { OperationDomain } from './operation-domain.js';
import { OperationRecorder } from './operation-recorder.js';
import { targetsOf } from './operation-targets.js';
import { DEFAULT_PACKAGE } from './semconv.js';

/**
 * The configuration every operation instrumentation shares: where it records (`meterProvider`,
 * `stats`, `rows`), `enabled`, the package of operations that name none, and the boundaries of
 * its duration histogram.
 */
export interface OperationConfig extends InstrumentationOptions, LifecycleConfig {
  /** Package used when an operation names none. Default `default`. */
  defaultPackage?: string;
  /**
   * Boundaries of the domain's duration histogram: `'default'` (at most 16 edges), `'fine'`
   * (R10, ~3× the series, more accurate quantiles) or an array of seconds. Default `'default'`.
   */
  buckets?: DurationBuckets;
  /** SLO thresholds (seconds) guaranteed to be bucket edges of the duration histogram. */
  slo?: readonly number[];
}

/** The option every operation names its package with. */
export interface PackageOption {
  /** Package (tenant or product) of the operation. Default: the instrumentation's `defaultPackage`. */
  package?: string;
}

/** A domain whose instruments take the duration histogram's boundaries when (re)bound. */
export type BoundDomain<F> = OperationDomain<F, object>;

/**
 * The base of every operation instrumentation (workflow, event, api, notify, batch, module): the
 * OTel lifecycle, the shared configuration, and the {@link OperationRecorder} that turns ended
 * operations into instrument calls, session statistics and def_metric rows. A domain supplies
 * its {@link OperationDomain} (its instruments and rows) and its bucket presets.
 */
export abstract class OperationInstrumentation<
  F,
  C extends OperationConfig,
  D extends BoundDomain<F> = BoundDomain<F>,
> extends MeteredInstrumentation<C> {
  /** Records the domain's operations. */
  protected readonly recorder: OperationRecorder<F, D>;

  /**
   * Creates the instruments of `domain` on the meter of scope `opmeter/<scope>`, with the duration
   * boundaries `config.buckets` selects among `presets` (plus `config.slo`).
   * @throws InvalidBucketsError when the buckets or SLO thresholds are invalid.
   */
  constructor(
    domain: D,
    private readonly presets: BucketPresets,
    config: C,
    scope = domain.name,
  ) {
    super(scope, config);
    const current = this.getConfig();
    this.recorder = new OperationRecorder(
      domain,
      this.meter,
      this.boundariesOf(current),
      targetsOf(domain, current),
    );
    this.recorder.enabled = current.enabled !== false;
  }

  /** Whether operations started now are recorded by this instrumentation. */
  get isEnabled(): boolean {
    return this.recorder.enabled;
  }

  /** Starts recording this domain's operations. */
  enable(): void {
    this.recorder.enabled = true;
  }

  /** Stops recording this domain's operations; those in flight still end normally. */
  disable(): void {
    this.recorder.enabled = false;
  }

  /** The domain: its instruments and rows. */
  protected get metrics(): D {
    return this.recorder.domain;
  }

  /** Package of operations that name none. */
  protected get defaultPackage(): string {
    return this.getConfig().defaultPackage ?? DEFAULT_PACKAGE;
  }

  protected override validateConfig(config: C): void {
    this.boundariesOf(config);
  }

  protected updateMetricInstruments(): void {
    const config = this.getConfig();
    this.recorder.setTargets(targetsOf(this.recorder.domain, config));
    this.recorder.bind(this.meter, this.boundariesOf(config));
  }

  private boundariesOf(config: C): number[] {
    return resolveBuckets(config.buckets, this.presets, config.slo);
  }
}
