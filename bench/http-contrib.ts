import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { benchMeterProvider } from './support.js';

/** The table's name for the instrumentation-http variant, the same for every server kind. */
export const CONTRIB_VARIANT = '@opentelemetry/instrumentation-http (metrics only)';

/** Why Express and Fastify are instrumented with `@opentelemetry/instrumentation-http` alone. */
export const CONTRIB_FRAMEWORK_NOTE =
  "Express 5 and Fastify 5 have no framework instrumentation in their contrib rows: no release of @opentelemetry/instrumentation-express (0.72.0 needs @opentelemetry/instrumentation ^0.300.0) or @fastify/otel (0.21.2 needs ^0.222.0 and @opentelemetry/core ^2) shares the project's @opentelemetry/instrumentation 0.301 and core 3.1, so neither is installed; without one, instrumentation-http records no http.route on any server.";

/** The environment the instrumentation-http process runs with: the stable HTTP semconv metrics. */
export const CONTRIB_ENV: Readonly<Record<string, string>> = {
  OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
};

/**
 * Registers `@opentelemetry/instrumentation-http` for this whole process, metrics only (its own
 * MeterProvider, no tracer provider), and loads `http` through `require` so the patch applies.
 * Call it before any server module is loaded.
 */
export function registerContribHttp(): void {
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation()],
    meterProvider: benchMeterProvider(),
  });
  createRequire(import.meta.url)('http');
}
