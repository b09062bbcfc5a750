import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ATTR_WORKFLOW_CODE,
  METRIC_WORKFLOW_ACTIVE,
  METRIC_WORKFLOW_ACTIVE_MAX_AGE,
  METRIC_WORKFLOW_ACTIVE_TOTAL_AGE,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { InFlightSeries, InFlightTracker, MAX_IN_FLIGHT_SERIES } from '../../src/core/in-flight.js';
import { DEFAULT_MAX_CACHED_SERIES } from '../../src/core/series-cache.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

afterEach(() => vi.restoreAllMocks());

/** A monotonic clock the test moves by hand, in milliseconds. */
function manualClock() {
  let now = performance.now();
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return (ms: number) => {
    now += ms;
  };
}

describe('operations in flight (long-task timing)', () => {
  it('reports the count, the oldest age and the summed age of stuck runs before they end', async () => {
    const advance = manualClock();
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    const stuck = workflows.start('STUCK');
    advance(60_000);
    const later = workflows.start('STUCK');
    advance(240_000);
    const series = { [ATTR_WORKFLOW_CODE]: 'STUCK' };
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE, series)).value).toBe(2);
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE_MAX_AGE, series)).value).toBeCloseTo(300, 6);
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE_TOTAL_AGE, series)).value).toBeCloseTo(540, 6);
    stuck.end();
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE, series)).value).toBe(1);
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE_MAX_AGE, series)).value).toBeCloseTo(240, 6);
    later.fail(new Error('gave up'));
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE, series)).value).toBe(0);
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE_MAX_AGE, series)).value).toBe(0);
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE_TOTAL_AGE, series)).value).toBe(0);
  });

  it('unlinks an operation from the middle of its series in O(1)', () => {
    const series = new InFlightSeries({});
    const entries = [1, 2, 3].map((startedAt) => ({
      startedAt,
      inFlightPrev: undefined,
      inFlightNext: undefined,
    }));
    for (const entry of entries) series.add(entry);
    series.remove(entries[1] as (typeof entries)[number]);
    expect(series.count).toBe(2);
    expect(series.startSum).toBe(4);
    expect(series.head).toBe(entries[0]);
    series.remove(entries[0] as (typeof entries)[number]);
    expect(series.head).toBe(entries[2]);
  });

  it('counts the runs of a series built again past the series cache in one record', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    for (let i = 0; i < DEFAULT_MAX_CACHED_SERIES; i++) workflows.start(`FILL_${i}`).end();
    const runs = [workflows.start('LATE'), workflows.start('LATE'), workflows.start('LATE')];
    const late = { [ATTR_WORKFLOW_CODE]: 'LATE' };
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE, late)).value).toBe(3);
    for (const run of runs) run.end();
    workflows.start('LATE');
    expect((await otel.point(METRIC_WORKFLOW_ACTIVE, late)).value).toBe(1);
    const points = (await otel.metric(METRIC_WORKFLOW_ACTIVE)).dataPoints;
    expect(points.filter((p) => p.attributes[ATTR_WORKFLOW_CODE] === 'LATE')).toHaveLength(1);
    expect(points).toHaveLength(DEFAULT_MAX_CACHED_SERIES + 1);
  });

  it('past MAX_IN_FLIGHT_SERIES series, new ones share one series without attributes', () => {
    const tracker = new InFlightTracker(
      { count: 'c', description: 'd', unit: '1', maxAge: 'm', totalAge: 't' },
      () => true,
    );
    for (let i = 0; i < MAX_IN_FLIGHT_SERIES; i++) tracker.admit(new InFlightSeries({ i }));
    const late = tracker.admit(new InFlightSeries({ late: 1 }));
    expect(late.attributes).toEqual({});
    expect(tracker.admit(new InFlightSeries({ later: 1 }))).toBe(late);
    expect(tracker.admit(new InFlightSeries({ i: 7 })).attributes).toEqual({ i: 7 });
    expect(tracker.admit(new InFlightSeries({}))).toBe(late);
  });
});
