import { diag, type MeterProvider, metrics } from '@opentelemetry/api';
import { emitProcessWarning } from './warning.js';

/** Where every copy of `@opentelemetry/api` 1.x keeps its globals (the API's own key). */
const GLOBAL_API_KEY = Symbol.for('opentelemetry.js.api.1');

let warned = false;

/**
 * The global MeterProvider as this copy of `@opentelemetry/api` sees it. When the application
 * registered a provider through another copy that this one cannot use (two versions installed),
 * the API silently hands out its no-op provider; this says so once, through `diag` and as a
 * process warning, naming the fix, instead of letting every metric vanish.
 */
export function globalMeterProvider(): MeterProvider {
  const provider = metrics.getMeterProvider();
  if (!warned) {
    const registered = (globalThis as Record<symbol, { version?: string; metrics?: unknown }>)[
      GLOBAL_API_KEY
    ];
    if (registered?.metrics !== undefined && registered.metrics !== provider) {
      warned = true;
      const message =
        `opmeter: the application registered its MeterProvider through @opentelemetry/api ` +
        `${registered.version ?? '(unknown version)'}, which the copy of @opentelemetry/api that opmeter ` +
        'loads cannot use, so opmeter records into a no-op provider. Install a single ' +
        '@opentelemetry/api in the application (`npm ls @opentelemetry/api` shows the copies; ' +
        'opmeter supports ^1.9.0), or pass meterProvider to the instrumentation.';
      diag.warn(message);
      emitProcessWarning(message);
    }
  }
  return provider;
}
