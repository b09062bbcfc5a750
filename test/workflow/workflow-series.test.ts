import { describe, expect, it } from 'vitest';
import { WorkflowSeriesCache } from '../../instrumentations/workflow/workflow-series.js';
import { DEFAULT_MAX_CACHED_SERIES } from '../../src/core/series-cache.js';

describe('WorkflowSeriesCache', () => {
  it('hands the same attribute objects to every run of a series', () => {
    const cache = new WorkflowSeriesCache();
    const first = cache.get('NIGHTLY', 'billing', 'parallel');
    expect(cache.get('NIGHTLY', 'billing', 'parallel')).toBe(first);
    expect(first.successAttributes).toEqual({
      'workflow.code': 'NIGHTLY',
      package: 'billing',
      'workflow.mode': 'parallel',
      outcome: 'success',
    });
    expect(cache.get('NIGHTLY', 'billing', undefined)).not.toBe(first);
    expect(cache.get('NIGHTLY', 'billing', undefined).attributes).toEqual({
      'workflow.code': 'NIGHTLY',
      package: 'billing',
    });
  });

  it('keeps at most DEFAULT_MAX_CACHED_SERIES sets and still builds the rest correctly', () => {
    const cache = new WorkflowSeriesCache();
    for (let i = 0; i < DEFAULT_MAX_CACHED_SERIES + 500; i++)
      cache.get(`CODE_${i}`, 'p', undefined);
    expect(cache.size).toBe(DEFAULT_MAX_CACHED_SERIES);
    const late = cache.get('CODE_LATE', 'p', 'sequential');
    expect(late.successAttributes).toMatchObject({
      'workflow.code': 'CODE_LATE',
      outcome: 'success',
    });
    expect(cache.size).toBe(DEFAULT_MAX_CACHED_SERIES);
  });
});
