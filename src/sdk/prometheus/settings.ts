import { OpmeterConfigError } from '../../core/config-error.js';
import { checkInteger, MAX_TIMER_MS } from '../../core/config-validation.js';

/** Default longest collection + rendering of one scrape: Prometheus's default scrape timeout. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
/** Default most scrape requests served at once. */
export const DEFAULT_MAX_IN_FLIGHT = 4;

/**
 * How the exposition is rendered and served, in both modes.
 * @example { scopeLabels: false, timeoutMs: 5000, maxInFlight: 2 }
 */
export interface PrometheusExpositionOptions {
  /**
   * Add `otel_scope_name` and `otel_scope_version` labels to every series, as the OTel
   * Prometheus compatibility spec asks by default. `false` makes the body smaller; metrics of
   * the same name from two meters are then exposed once (the first one seen). Default true.
   */
  scopeLabels?: boolean;
  /**
   * Longest time a scrape may take (collection and rendering) before it is answered 503; lowered
   * to the scraper's `X-Prometheus-Scrape-Timeout-Seconds` when it sends one. Default 10000.
   */
  timeoutMs?: number;
  /** Most scrape requests served at once; more are answered 503 with `Retry-After: 1`. Default 4. */
  maxInFlight?: number;
}

/** Exposition settings after defaults. */
export interface ResolvedExposition {
  scopeLabels: boolean;
  timeoutMs: number;
  maxInFlight: number;
}

/** The option keys of {@link PrometheusExpositionOptions}. */
export const EXPOSITION_OPTION_KEYS = ['scopeLabels', 'timeoutMs', 'maxInFlight'] as const;

/** Applies defaults and checks the exposition options. @throws OpmeterConfigError */
export function resolveExposition(given: PrometheusExpositionOptions): ResolvedExposition {
  const scopeLabels = given.scopeLabels ?? true;
  if (typeof scopeLabels !== 'boolean') {
    throw new OpmeterConfigError(
      `prometheus.scopeLabels is ${String(scopeLabels)}: use true (the OTel default) or false`,
    );
  }
  return {
    scopeLabels,
    timeoutMs: checkInteger(
      given.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
      'prometheus.timeoutMs',
    ),
    maxInFlight: checkInteger(
      given.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      1,
      1000,
      'prometheus.maxInFlight',
    ),
  };
}
