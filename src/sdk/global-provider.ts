import { type MeterProvider, metrics } from '@opentelemetry/api';
import { OpmeterConfigError } from '../core/config-error.js';

/**
 * Registers `provider` as the global MeterProvider when `wanted`; returns whether it did.
 * @throws OpmeterConfigError when another provider is already registered.
 */
export function registerGlobalProvider(provider: MeterProvider, wanted: boolean): boolean {
  if (!wanted) return false;
  if (metrics.setGlobalMeterProvider(provider)) return true;
  throw new OpmeterConfigError(
    'a global MeterProvider is already registered (by NodeSDK or an earlier startMetrics): ' +
      'pass registerGlobal: false and hand the handle to the instrumentations, or shut the other down first',
  );
}

/** Unregisters the global MeterProvider if it is still `provider` (a later one is left alone). */
export function unregisterGlobalProvider(provider: MeterProvider): void {
  if (metrics.getMeterProvider() === provider) metrics.disable();
}
