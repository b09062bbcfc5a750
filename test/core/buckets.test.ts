import { describe, expect, it } from 'vitest';
import {
  InvalidBucketsError,
  presets,
  resolveBuckets,
  validateBoundaries,
  withSloBoundaries,
} from '../../src/core/buckets.js';

describe('validateBoundaries', () => {
  it('accepts sorted, finite, non-negative boundaries and returns a copy', () => {
    const input = [0, 0.5, 1];
    const out = validateBoundaries(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it.each([
    [[], /non-empty array/],
    [[1, 0.5], /value 0.5 at index 1 is not greater than 1.*sorted ascending/],
    [[1, 1], /not greater than 1/],
    [[-1, 2], /value -1 at index 0 is not a finite number >= 0/],
    [[1, Number.NaN], /value NaN at index 1/],
    [[1, Number.POSITIVE_INFINITY], /value Infinity/],
  ])('rejects %j with a message saying what to fix', (boundaries, message) => {
    expect(() => validateBoundaries(boundaries)).toThrow(InvalidBucketsError);
    expect(() => validateBoundaries(boundaries)).toThrow(message);
  });
});

describe('withSloBoundaries', () => {
  it('makes every SLO threshold a bucket edge, sorted and without duplicates', () => {
    expect(withSloBoundaries([0.1, 0.5, 1], [0.3, 1, 0.05])).toEqual([0.05, 0.1, 0.3, 0.5, 1]);
  });

  it('rejects a negative SLO threshold', () => {
    expect(() => withSloBoundaries([1], [-2])).toThrow(/SLO thresholds: value -2/);
  });
});

describe('resolveBuckets', () => {
  const domain = presets([1, 10], [1, 2, 5, 10]);

  it('picks the default preset when absent, a named preset, or explicit boundaries', () => {
    expect(resolveBuckets(undefined, domain)).toEqual([1, 10]);
    expect(resolveBuckets('default', domain)).toEqual([1, 10]);
    expect(resolveBuckets('fine', domain)).toEqual([1, 2, 5, 10]);
    expect(resolveBuckets([3], domain)).toEqual([3]);
  });

  it('returns a copy the caller may change without touching the preset', () => {
    const out = resolveBuckets('fine', domain);
    out.push(20);
    expect(domain.fine).toEqual([1, 2, 5, 10]);
  });

  it('adds SLO thresholds to a preset', () => {
    expect(resolveBuckets('default', domain, [3])).toEqual([1, 3, 10]);
  });

  it.each([['coarse'], ['FINE'], ['']])('rejects the unknown preset %j', (name) => {
    expect(() => resolveBuckets(name as 'fine', domain)).toThrow(InvalidBucketsError);
    expect(() => resolveBuckets(name as 'fine', domain)).toThrow(/unknown preset/);
  });
});
