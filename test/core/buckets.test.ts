import { describe, expect, it } from 'vitest';
import {
  InvalidBucketsError,
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
