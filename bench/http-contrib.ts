import { createRequire } from 'node:module';
import { context, type MeterProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isWrapped, registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { benchMeterProvider } from './support.js';

/** The table's name for the contrib variant: instrumentation-http, plus the framework's package. */
export const CONTRIB_VARIANT = '@opentelemetry/instrumentation-http (metrics only)';

/** Which contrib packages each server kind's contrib row runs. */
export const CONTRIB_FRAMEWORK_NOTE =
  "Every contrib process registers the AsyncLocalStorage context manager, as NodeSDK does. The contrib row of Express 5 also runs @opentelemetry/instrumentation-express 0.72 (the framework's own OTel package; package.json overrides its @opentelemetry/instrumentation ^0.300 with the project's 0.301, so one copy is installed). Fastify 5's contrib row runs instrumentation-http alone: @fastify/otel 0.21 needs @opentelemetry/core ^2, and the project is on core 3.1.";

/** The environment the instrumentation-http process runs with: the stable HTTP semconv metrics. */
export const CONTRIB_ENV: Readonly<Record<string, string>> = {
  OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
};

/**
 * Registers `@opentelemetry/instrumentation-http` (and, for Express, instrumentation-express) for
 * this whole process, metrics only (`meterProvider`, no tracer provider), with the context
 * manager NodeSDK would register (instrumentation-express finds the request's route through the
 * active context: without one it records none), and loads the patched modules through `require`,
 * so that the servers' later `import`s get the patched ones. Call it before any server module is
 * loaded.
 */
export function registerContrib(
  kind: string,
  meterProvider: MeterProvider = benchMeterProvider(),
): void {
  const express = kind === 'express 5';
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation(),
      ...(express ? [new ExpressInstrumentation()] : []),
    ],
    meterProvider,
  });
  const load = createRequire(import.meta.url);
  load('http');
  if (express && !isWrapped((load('express') as typeof import('express')).application.use)) {
    throw new Error(
      'instrumentation-express did not patch express: the contrib row would be wrong',
    );
  }
}
