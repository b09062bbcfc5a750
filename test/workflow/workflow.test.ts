import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADJUSTMENT_UNKNOWN_MODE,
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  ATTR_WORKFLOW_MODE,
  ATTR_WORKFLOW_STEP_OUTCOME,
  type ExecutionMode,
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_DURATION,
  METRIC_WORKFLOW_RETRIES,
  METRIC_WORKFLOW_STEPS,
  WORKFLOW_DURATION_BUCKETS,
  WORKFLOW_TABLE,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { createTestTargets } from '../support/test-targets.js';

function setup() {
  const targets = createTestTargets();
  return { ...targets, workflows: new WorkflowInstrumentation(targets.options) };
}

afterEach(() => setRecordingEnabled(true));

describe('WorkflowInstrumentation', () => {
  it('creates instruments with units, descriptions and the default buckets', async () => {
    const { workflows, metric } = setup();
    workflows.start('W').end();
    const duration = await metric(METRIC_WORKFLOW_DURATION);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.descriptor.description).toMatch(/workflow/i);
    const point = duration.dataPoints[0]?.value as Histogram;
    expect(point.buckets.boundaries).toEqual(WORKFLOW_DURATION_BUCKETS);
    for (const name of [METRIC_WORKFLOW_ACTIVE]) {
      const m = await metric(name);
      expect(m.descriptor.unit).toMatch(/^\{.+\}$/);
      expect(m.descriptor.description.length).toBeGreaterThan(5);
    }
  });

  it('records a successful run with steps, retries, mode and a row', async () => {
    const { workflows, point, rows, stats } = setup();
    const result = await workflows.run(
      'NIGHTLY',
      async (run) => {
        run.stepCompleted().stepCompleted(2).stepFailed().retry();
        run.addItems(40);
        return 'done';
      },
      { package: 'billing', mode: 'parallel', name: 'Nightly import' },
    );
    expect(result).toBe('done');
    const base = {
      [ATTR_WORKFLOW_CODE]: 'NIGHTLY',
      [ATTR_PACKAGE]: 'billing',
      [ATTR_WORKFLOW_MODE]: 'parallel',
    };
    const duration = await point<Histogram>(METRIC_WORKFLOW_DURATION, {
      ...base,
      [ATTR_OUTCOME]: 'success',
    });
    expect(duration.value.count).toBe(1);
    expect(
      (await point<Histogram>(METRIC_WORKFLOW_DURATION, { [ATTR_OUTCOME]: 'success' })).value.count,
    ).toBe(1);
    expect(
      (await point(METRIC_WORKFLOW_STEPS, { [ATTR_WORKFLOW_STEP_OUTCOME]: 'completed' })).value,
    ).toBe(3);
    expect(
      (await point(METRIC_WORKFLOW_STEPS, { [ATTR_WORKFLOW_STEP_OUTCOME]: 'failed' })).value,
    ).toBe(1);
    expect((await point(METRIC_WORKFLOW_RETRIES, base)).value).toBe(1);
    expect((await point(METRIC_WORKFLOW_ACTIVE, base)).value).toBe(0);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.table).toBe(WORKFLOW_TABLE);
    expect(rows.rows[0]?.row).toMatchObject({
      WorkflowCode: 'NIGHTLY',
      Package: 'billing',
      WorkflowName: 'Nightly import',
      StepsCompleted: 3,
      StepsFailed: 1,
      RetryAttempts: 1,
      ExecutionMode: 'PARALLEL',
      OperationSuccess: true,
      ErrorMessage: null,
    });
    expect(rows.rows[0]?.row.MemoryUsageMB).toBeGreaterThan(1);
    const snap = stats.snapshot();
    expect(snap.operations[0]).toMatchObject({
      domain: 'workflow',
      operation: 'NIGHTLY',
      operations: 1,
      items: 40,
    });
  });

  it('records a failed run with error.type from the code, rethrowing the original error', async () => {
    const { workflows, point, rows } = setup();
    const error = Object.assign(new Error('disk gone'), { code: 'EIO' });
    await expect(
      workflows.run('IMPORT', async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const failed = await point<Histogram>(METRIC_WORKFLOW_DURATION, {
      [ATTR_OUTCOME]: 'failure',
      [ATTR_ERROR_TYPE]: 'EIO',
      [ATTR_PACKAGE]: 'default',
    });
    expect(failed.value.count).toBe(1);
    expect(rows.rows[0]?.row).toMatchObject({ OperationSuccess: false, ErrorMessage: 'disk gone' });
  });

  it('measures explicit handles, wrap and the decorator the same way', async () => {
    const { workflows, point, rows } = setup();
    const handle = workflows.start('SAME');
    handle.end();
    const wrapped = workflows.wrap('SAME', (n: number) => n * 2, { itemsOf: (r) => r });
    expect(wrapped(21)).toBe(42);
    class Jobs {
      factor = 3;
      @workflows.measure('SAME', { itemsOf: (r) => r as number })
      scale(n: number) {
        return n * this.factor;
      }
    }
    expect(new Jobs().scale(5)).toBe(15);
    const runs = await point<Histogram>(METRIC_WORKFLOW_DURATION, {
      [ATTR_WORKFLOW_CODE]: 'SAME',
      [ATTR_OUTCOME]: 'success',
    });
    expect(runs.value.count).toBe(3);
    expect(rows.rows.map((r) => r.row.WorkflowCode)).toEqual(['SAME', 'SAME', 'SAME']);
  });

  it('accepts a mode in any case and with surrounding spaces; drops and counts an unknown one (no attribute, null column)', async () => {
    const { workflows, point, metric, rows } = setup();
    workflows.start('M', { mode: 'PARALLEL' as ExecutionMode }).end();
    workflows.start('M', { mode: ' Parallel\t' as ExecutionMode }).end();
    workflows.start('M', { mode: 'turbo' as ExecutionMode }).end();
    workflows.start('M', { mode: { toUpperCase: 1 } as unknown as ExecutionMode }).end();
    expect(
      (await point<Histogram>(METRIC_WORKFLOW_DURATION, { [ATTR_WORKFLOW_MODE]: 'parallel' })).value
        .count,
    ).toBe(2);
    const modes = (await metric(METRIC_WORKFLOW_DURATION)).dataPoints.map(
      (p) => p.attributes[ATTR_WORKFLOW_MODE],
    );
    expect(modes.sort()).toEqual(['parallel', undefined]);
    expect(rows.rows.map((r) => r.row.ExecutionMode)).toEqual(['PARALLEL', 'PARALLEL', null, null]);
    const adjusted = await point('opmeter.input.adjusted', {
      'opmeter.field': ATTR_WORKFLOW_MODE,
      'opmeter.reason': ADJUSTMENT_UNKNOWN_MODE,
    });
    expect(adjusted.value).toBe(2);
  });

  it('reads the package before the mode: options whose package cannot be read count only as unreadable', async () => {
    const { workflows, metrics } = setup();
    const options = {
      mode: 'BOGUS' as ExecutionMode,
      get package(): string {
        throw new Error('unreadable package');
      },
    };
    workflows.start('W', options).end();
    const points = (await metrics()).get('opmeter.input.adjusted')?.dataPoints ?? [];
    expect(
      points.map((p) => [p.attributes['opmeter.field'], p.attributes['opmeter.reason']]),
    ).toEqual([['options', 'unreadable']]);
  });

  it('ignores and counts a second end', async () => {
    const { workflows, point } = setup();
    const run = workflows.start('TWICE');
    run.end();
    run.fail(new Error('late'));
    expect(
      (await point<Histogram>(METRIC_WORKFLOW_DURATION, { [ATTR_WORKFLOW_CODE]: 'TWICE' })).value
        .count,
    ).toBe(1);
    expect(
      (await point('opmeter.input.adjusted', { 'opmeter.reason': 'already_ended' })).value,
    ).toBe(1);
  });

  it('ignores and counts steps, retries and items reported after the end', async () => {
    const { workflows, point, metrics } = setup();
    const run = workflows.start('DONE');
    run.stepCompleted();
    run.end();
    run.stepCompleted(5).stepFailed().retry().addItems(3);
    const series = { [ATTR_WORKFLOW_CODE]: 'DONE', [ATTR_WORKFLOW_STEP_OUTCOME]: 'completed' };
    expect((await point(METRIC_WORKFLOW_STEPS, series)).value).toBe(1);
    expect((await metrics()).get(METRIC_WORKFLOW_RETRIES)).toBeUndefined();
    const adjusted = (await metrics()).get('opmeter.input.adjusted')?.dataPoints ?? [];
    expect(
      adjusted.map((p) => [p.attributes['opmeter.field'], p.attributes['opmeter.reason'], p.value]),
    ).toEqual([
      ['steps', 'already_ended', 2],
      ['retries', 'already_ended', 1],
      ['items', 'already_ended', 1],
    ]);
  });

  it('honours SLO thresholds as bucket edges and rejects bad buckets at construction', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({
      meterProvider: otel.meterProvider,
      slo: [42, 7],
    });
    workflows.start('S').end();
    const p = await otel.point<Histogram>(METRIC_WORKFLOW_DURATION);
    expect(p.value.buckets.boundaries).toContain(42);
    expect(p.value.buckets.boundaries).toContain(7);
    expect(() => new WorkflowInstrumentation({ buckets: [1, 0.5] })).toThrow(/sorted ascending/);
  });

  it('records nothing while recording is switched off', async () => {
    const { workflows, metrics, rows } = setup();
    setRecordingEnabled(false);
    await workflows.run('OFF', async (run) => {
      run.stepCompleted().stepFailed().retry();
    });
    setRecordingEnabled(true);
    expect((await metrics()).get(METRIC_WORKFLOW_DURATION)).toBeUndefined();
    expect((await metrics()).get(METRIC_WORKFLOW_ACTIVE)).toBeUndefined();
    expect((await metrics()).get(METRIC_WORKFLOW_STEPS)).toBeUndefined();
    expect((await metrics()).get(METRIC_WORKFLOW_RETRIES)).toBeUndefined();
    expect(rows.rows).toHaveLength(0);
  });

  it('treats null options like none, for plain-JS callers', async () => {
    const { workflows, point, rows } = setup();
    workflows.start('NULL_OPTS', null as never).end();
    expect(workflows.run('NULL_OPTS', () => 1, null as never)).toBe(1);
    expect(workflows.wrap('NULL_OPTS', (n: number) => n + 1, null as never)(1)).toBe(2);
    class Jobs {
      @workflows.measure('NULL_OPTS', null as never)
      one() {
        return 1;
      }
    }
    expect(new Jobs().one()).toBe(1);
    const runs = await point<Histogram>(METRIC_WORKFLOW_DURATION, {
      [ATTR_WORKFLOW_CODE]: 'NULL_OPTS',
      [ATTR_PACKAGE]: 'default',
      [ATTR_OUTCOME]: 'success',
    });
    expect(runs.value.count).toBe(4);
    expect(rows.rows.map((r) => r.row.WorkflowCode)).toEqual(Array(4).fill('NULL_OPTS'));
  });
});
