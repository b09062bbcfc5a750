import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Attributes, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { benchMeterProvider, benchReader } from './support.js';

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
 * this whole process, metrics only (its own MeterProvider, no tracer provider), with the context
 * manager NodeSDK would register (instrumentation-express finds the request's route through the
 * active context: without one it records none), and loads the patched modules through `require`,
 * so that the servers' later `import`s get the patched ones. Call it before any server module is
 * loaded. Returns a check to run once the server listens (see {@link ContribCheck}).
 */
export function registerContrib(kind: string): ContribCheck {
  const express = kind === 'express 5';
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const reader = benchReader();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation(),
      ...(express ? [new ExpressInstrumentation()] : []),
    ],
    meterProvider: benchMeterProvider(reader),
  });
  const load = createRequire(import.meta.url);
  load('http');
  if (express) load('express');
  return async (url) => {
    await (await fetch(url)).text();
    for (let attempt = 0; attempt < 20; attempt++) {
      const attributes = await recordedAttributes(reader);
      if (attributes !== undefined && (!express || attributes['http.route'] !== undefined)) return;
      await sleep(10); // the server records when its response finishes, maybe a turn later
    }
    throw new Error(
      `the ${kind} contrib row recorded no request${express ? ' with its http.route' : ''}: it would measure an inert instrumentation`,
    );
  };
}

/** The attributes of the first point of `http.server.request.duration` collected by `reader`. */
async function recordedAttributes(reader: MetricReader): Promise<Attributes | undefined> {
  const { resourceMetrics } = await reader.collect();
  const duration = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === 'http.server.request.duration');
  return duration?.dataPoints[0]?.attributes;
}

/**
 * Sends one request to the contrib server at `url` and rejects unless instrumentation-http
 * recorded it (with its route on Express): what the contrib row measures really works.
 */
export type ContribCheck = (url: string) => Promise<void>;
