import { metrics } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

afterEach(() => metrics.disable());

describe('inside an application that set up its own OTel SDK', () => {
  it('records into the global MeterProvider the application registered, with no opmeter bootstrap', async () => {
    const app = createTestMeterProvider();
    expect(metrics.setGlobalMeterProvider(app.meterProvider)).toBe(true);
    const workflows = new WorkflowInstrumentation();
    await workflows.run('APP_OWNED', async () => 'ok');
    const point = await app.point<Histogram>(METRIC_WORKFLOW_DURATION, {
      'workflow.code': 'APP_OWNED',
    });
    expect(point.value.count).toBe(1);
  });
});
