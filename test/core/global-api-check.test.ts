import { createNoopMeter, type MeterProvider, metrics } from '@opentelemetry/api';
import { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';

const KEY = Symbol.for('opentelemetry.js.api.1');
type Globals = Record<symbol, Record<string, unknown> | undefined>;

afterEach(() => {
  metrics.disable();
});

/** Collects the OpmeterWarnings emitted while `run` runs and one turn after. */
async function warningsDuring(run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error): void => {
    if (warning.name === 'OpmeterWarning') seen.push(warning.message);
  };
  process.on('warning', listener);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('a MeterProvider registered through another @opentelemetry/api copy', () => {
  // Runs first: the warning is said once per process.
  it('stays quiet when the provider is registered through the same copy', async () => {
    metrics.setGlobalMeterProvider(new SdkMeterProvider());
    expect(await warningsDuring(() => new WorkflowInstrumentation())).toEqual([]);
  });

  it('is said once, naming the version and the fix, instead of recording into the void', async () => {
    const theirs: MeterProvider = { getMeter: () => createNoopMeter() };
    const globals = globalThis as unknown as Globals;
    // What an application on @opentelemetry/api 1.9.0 leaves behind after setGlobalMeterProvider().
    globals[KEY] = { version: '1.9.0', metrics: theirs };
    try {
      const first = await warningsDuring(() => new WorkflowInstrumentation());
      const second = await warningsDuring(() => new WorkflowInstrumentation());
      expect(first).toEqual([
        expect.stringContaining('registered its MeterProvider through @opentelemetry/api 1.9.0'),
      ]);
      expect(first[0]).toContain('npm ls @opentelemetry/api');
      expect(second).toEqual([]);
    } finally {
      delete globals[KEY];
    }
  });
});
