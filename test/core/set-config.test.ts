import { describe, expect, it } from 'vitest';
import { ApiInstrumentation, FetchInstrumentation } from '../../instrumentations/api/index.js';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import { EventInstrumentation } from '../../instrumentations/event/index.js';
import { ModuleInstrumentation } from '../../instrumentations/module/index.js';
import {
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { OpmeterConfigError } from '../../src/core/config-error.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

describe('setConfig()', () => {
  it('keeps the provider setMeterProvider() set when the new config names none', async () => {
    const first = createTestMeterProvider();
    const second = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: first.meterProvider });
    workflows.setMeterProvider(second.meterProvider);
    workflows.setConfig({ defaultPackage: 'billing' });
    workflows.start('KEPT').end();
    expect(workflows.getConfig().meterProvider).toBe(second.meterProvider);
    const point = await second.point(METRIC_WORKFLOW_DURATION, { package: 'billing' });
    expect(point.attributes['workflow.code']).toBe('KEPT');
  });

  it.each([
    ['ApiInstrumentation', () => new ApiInstrumentation({ maxRoutes: 10 }), { maxRoutes: 5 }],
    ['ApiInstrumentation', () => new ApiInstrumentation(), { bodySizeMetrics: true }],
    ['EventInstrumentation', () => new EventInstrumentation(), { maxStreams: -1 }],
    ['FetchInstrumentation', () => new FetchInstrumentation(), { maxOrigins: -5 }],
    [
      'ModuleInstrumentation',
      () => new ModuleInstrumentation({ module: 'orders' }),
      { module: 'x' },
    ],
    ['CustomMetrics', () => new CustomMetrics(), { maxMetrics: 3 }],
  ])(
    '%s refuses to change %j, read once at construction, and keeps its config',
    (_, build, change) => {
      const instrumentation = build();
      const before = instrumentation.getConfig();
      const key = Object.keys(change)[0] as string;
      expect(() => instrumentation.setConfig({ ...before, ...change } as never)).toThrow(
        new OpmeterConfigError(
          `${instrumentation.instrumentationName}: setConfig() cannot change ${key}, which is read ` +
            'once at construction; leave it out (or pass the current value from getConfig()), ' +
            'or create a new instrumentation with the new value',
        ),
      );
      expect(instrumentation.getConfig()).toBe(before);
    },
  );

  it('keeps the options read at construction when the new config leaves them out', () => {
    const api = new ApiInstrumentation({ maxRoutes: 10, defaultPackage: 'web' });
    api.setConfig({ enabled: false });
    expect(api.getConfig()).toMatchObject({ maxRoutes: 10, defaultPackage: 'web', enabled: false });
    api.setConfig({ ...api.getConfig(), enabled: true });
    expect(api.getConfig()).toMatchObject({ maxRoutes: 10, enabled: true });
  });
});
