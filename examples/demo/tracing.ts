import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * Registers the OTel trace SDK globally, as an application with tracing would: every span is
 * sampled and none is exported; they exist so that opmeter's measurements made inside them become
 * exemplars on OpenMetrics scrapes. Resolves to a function that unregisters it again.
 */
export function startDemoTracing(): () => Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new TracerProvider({ sampler: new AlwaysOnSampler() });
  trace.setGlobalTracerProvider(provider);
  return async () => {
    trace.disable();
    context.disable();
    await provider.shutdown();
  };
}

/** Runs `work` inside a new active span named `name` of the global tracer, ended when `work` settles. */
export function inSpan<R>(name: string, work: () => Promise<R>): Promise<R> {
  return trace
    .getTracer('opmeter-demo')
    .startActiveSpan(name, (span) => work().finally(() => span.end()));
}
