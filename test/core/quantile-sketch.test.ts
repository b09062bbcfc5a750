import { describe, expect, it } from 'vitest';
import { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from '../../src/stats/quantile-sketch.js';
import { exactQuantile, logNormalSamples, seededRandom } from '../support/distributions.js';

const QUANTILES = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999];

function expectWithinAccuracy(samples: number[]) {
  const sketch = new QuantileSketch();
  for (const v of samples) sketch.add(v);
  for (const q of QUANTILES) {
    const exact = exactQuantile(samples, q);
    const estimate = sketch.quantile(q) ?? Number.NaN;
    expect(Math.abs(estimate - exact) / exact, `q=${q}`).toBeLessThanOrEqual(
      SKETCH_RELATIVE_ACCURACY,
    );
  }
}

describe('QuantileSketch', () => {
  it('is within 1% of the exact quantiles of a wide log-normal latency distribution', () => {
    expectWithinAccuracy(logNormalSamples(100_000, 0.0003, 1.5));
  });

  it('is within 1% of the exact quantiles of a uniform distribution', () => {
    const random = seededRandom(3);
    expectWithinAccuracy(Array.from({ length: 50_000 }, () => 1 + random() * 99));
  });

  it('is within 1% on a bimodal distribution (fast cache hits, slow misses)', () => {
    expectWithinAccuracy([
      ...logNormalSamples(9_000, 0.001, 0.2, 1),
      ...logNormalSamples(1_000, 0.5, 0.3, 2),
    ]);
  });

  it('returns undefined when empty, 0 for zero durations, and forgets on clear', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.5)).toBeUndefined();
    sketch.add(0);
    sketch.add(0);
    sketch.add(5);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.count).toBe(3);
    sketch.clear();
    expect(sketch.count).toBe(0);
  });

  it('keeps memory bounded by merging its lowest buckets', () => {
    const sketch = new QuantileSketch(64);
    for (let i = 0; i < 10_000; i++) sketch.add(1.05 ** (i % 500));
    expect(sketch.bucketCount).toBeLessThanOrEqual(64);
    const top = sketch.quantile(0.999) ?? 0;
    expect(Math.abs(top / 1.05 ** 499 - 1)).toBeLessThan(0.02);
    sketch.add(1e-6);
    expect(sketch.bucketCount).toBeLessThanOrEqual(64);
    expect(sketch.count).toBe(10_001);
  });

  it('widens to a far larger value in O(buckets), not O(distance): no stall on a huge input', () => {
    const sketch = new QuantileSketch();
    const startedAt = performance.now();
    for (let i = 0; i < 20; i++) {
      sketch.clear();
      sketch.add(1e-6);
      sketch.add(1e300);
    }
    expect(performance.now() - startedAt).toBeLessThan(200);
    expect(sketch.bucketCount).toBeLessThanOrEqual(2048);
    expect(Math.abs((sketch.quantile(1) ?? 0) / 1e300 - 1)).toBeLessThanOrEqual(
      SKETCH_RELATIVE_ACCURACY,
    );
    expect(sketch.count).toBe(2);
  });

  it('counts NaN as zero and Infinity as the largest number, in bounded memory', () => {
    const sketch = new QuantileSketch(16);
    for (let i = 0; i < 1000; i++) sketch.add(Number.NaN);
    sketch.add(Number.POSITIVE_INFINITY);
    sketch.add(2);
    expect(sketch.count).toBe(1002);
    expect(sketch.bucketCount).toBeLessThanOrEqual(16);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(Number.isFinite(sketch.quantile(1))).toBe(true);
  });
});
