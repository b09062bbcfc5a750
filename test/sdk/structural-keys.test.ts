import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { FamilyRegistry } from '../../src/sdk/prometheus/exposition/family-registry.js';
import { validateViews } from '../../src/sdk/views/validate.js';

function counter(name: string): MetricData {
  return {
    descriptor: { name, unit: '', description: '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: [],
  };
}

describe('the family registry keys scopes by their parts, not by a joined string', () => {
  it("scopes ('a\\0b', '', 'c') and ('a', 'b\\0', 'c') are two scopes: both merge into one family", () => {
    const dropped: string[] = [];
    const registry = new FamilyRegistry(true, (reason) => dropped.push(reason));
    const first = registry.familyOf(counter('x'), {
      name: 'a\u0000b',
      version: '',
      schemaUrl: 'c',
    });
    const second = registry.familyOf(counter('x'), {
      name: 'a',
      version: 'b\u0000',
      schemaUrl: 'c',
    });
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(dropped).toEqual([]);
  });

  it('the same scope twice (an absent version is the empty one) is still a clash', () => {
    const dropped: string[] = [];
    const registry = new FamilyRegistry(true, (reason) => dropped.push(reason));
    expect(registry.familyOf(counter('x'), { name: 'a', version: '' })).toBeDefined();
    expect(registry.familyOf(counter('x'), { name: 'a' })).toBeUndefined();
    expect(dropped).toHaveLength(1);
  });
});

describe('validateViews keys a view by its meter and instrument, not by a joined string', () => {
  it("a view for the meter named '*' and one for every meter are two views", () => {
    const views = [
      { instrument: 'workflow.duration', meter: '*', drop: true },
      { instrument: 'workflow.duration', drop: true },
    ];
    expect(validateViews(views)).toHaveLength(2);
  });

  it("meter 'a\\0b' with instrument 'c' and meter 'a' with instrument 'b\\0c' are two views", () => {
    const views = [
      { instrument: 'c', meter: 'a\u0000b', drop: true },
      { instrument: 'b\u0000c', meter: 'a', drop: true },
    ];
    expect(validateViews(views)).toHaveLength(2);
  });

  it('two views on the same meter and instrument are still refused', () => {
    const view = { instrument: 'workflow.duration', meter: 'opmeter/workflow', drop: true };
    expect(() => validateViews([view, { ...view }])).toThrow(/same instrument/);
  });
});
