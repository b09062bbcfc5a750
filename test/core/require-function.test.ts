import { describe, expect, it } from 'vitest';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import { EventInstrumentation } from '../../instrumentations/event/index.js';
import { NotifyInstrumentation } from '../../instrumentations/notify/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import { OpmeterConfigError } from '../../src/core/config-error.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

describe('an entry point given no function', () => {
  it('throws a TypeError naming the call, before anything is measured', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    const notify = new NotifyInstrumentation({ meterProvider: otel.meterProvider });
    expect(() => workflows.run('NIGHTLY', undefined as never)).toThrow(
      new TypeError('workflow.run("NIGHTLY"): fn must be a function, got undefined'),
    );
    expect(() => notify.wrap('WELCOME', 5 as never)).toThrow(
      new TypeError('notify.wrap("WELCOME"): fn must be a function, got number'),
    );
    expect((await otel.metrics()).has('workflow.duration')).toBe(false);
    expect((await otel.metrics()).has('notify.duration')).toBe(false);
  });

  it('builds its message from a name that cannot be printed without failing itself', () => {
    const { meterProvider } = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider });
    const unprintable = {
      toString(): string {
        throw new Error('no string form');
      },
    };
    expect(() => workflows.run(unprintable as never, null as never)).toThrow(
      new TypeError('workflow.run("_UNPRINTABLE"): fn must be a function, got null'),
    );
  });

  it('does the same for a batch file, a custom timing and the observed gauges', () => {
    const { meterProvider } = createTestMeterProvider();
    const job = new BatchInstrumentation({ meterProvider }).start('JOB');
    expect(() => job.file('a.csv', null as never)).toThrow(
      'batch job.file("a.csv"): fn must be a function, got null',
    );
    const custom = new CustomMetrics({ meterProvider });
    expect(() => custom.time('render', 5 as never)).toThrow(
      'custom.time("render"): fn must be a function, got number',
    );
    expect(() => custom.observe('queue.depth', 5 as never)).toThrow(
      'custom.observe("queue.depth"): read must be a function, got number',
    );
    const events = new EventInstrumentation({ meterProvider });
    expect(() => events.observeQueueDepth(5 as never, 'inbound')).toThrow(
      new TypeError('event.observeQueueDepth("inbound"): read must be a function, got number'),
    );
  });
});

describe('a meterProvider that is not one', () => {
  it('is refused at construction with what to pass instead', () => {
    expect(() => new WorkflowInstrumentation({ meterProvider: {} as never })).toThrow(
      OpmeterConfigError,
    );
    expect(() => new WorkflowInstrumentation({ meterProvider: {} as never })).toThrow(
      /opmeter\/workflow: meterProvider must be an OpenTelemetry MeterProvider \(with getMeter\(\)\), got object without one/,
    );
  });

  it('is refused by setConfig() and setMeterProvider(), which keep the current one', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    expect(() => workflows.setConfig({ meterProvider: {} as never })).toThrow(OpmeterConfigError);
    expect(() => workflows.setMeterProvider(5 as never)).toThrow(OpmeterConfigError);
    expect(workflows.getConfig().meterProvider).toBe(otel.meterProvider);
    workflows.start('STILL').end();
    expect((await otel.metric('workflow.duration')).dataPoints).toHaveLength(1);
  });
});
