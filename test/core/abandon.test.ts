import { describe, expect, it } from 'vitest';
import {
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

describe('OperationHandle.abandon', () => {
  it('takes an operation out of the in-flight counts without recording it, and it stays ended', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    const run = workflows.start('NIGHTLY');
    const active = async () =>
      (await otel.metric(METRIC_WORKFLOW_ACTIVE)).dataPoints.reduce(
        (sum, p) => sum + (p.value as number),
        0,
      );
    expect(await active()).toBe(1);

    run.abandon();
    run.abandon();
    run.end();

    expect(run.isEnded).toBe(true);
    expect(await active()).toBe(0);
    expect((await otel.metrics()).get(METRIC_WORKFLOW_DURATION)?.dataPoints ?? []).toEqual([]);
  });
});
