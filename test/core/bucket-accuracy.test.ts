import { describe, expect, it } from 'vitest';
import {
  BATCH_FILE_DURATION_BUCKETS,
  EVENT_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS,
  HTTP_SEMCONV_BUCKETS,
  NOTIFY_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS,
} from '../../src/core/buckets.js';
import { exactQuantile, histogramQuantile, logNormalSamples } from '../support/distributions.js';

/** The accuracy opmeter states for histogram_quantile() over its default buckets. */
const STATED_MAX_RELATIVE_ERROR = 0.06;

const DOMAINS: [string, readonly number[], number[]][] = [
  ['event', EVENT_DURATION_BUCKETS, [0.00005, 0.0002, 0.003]],
  ['http', HTTP_DURATION_BUCKETS, [0.01, 0.04, 0.15, 0.8]],
  ['notify', NOTIFY_DURATION_BUCKETS, [0.3, 0.8, 5]],
  ['workflow', WORKFLOW_DURATION_BUCKETS, [5, 90, 1200]],
  ['batch', BATCH_FILE_DURATION_BUCKETS, [0.2, 2, 60]],
];

describe('default bucket boundaries', () => {
  for (const [domain, boundaries, medians] of DOMAINS) {
    it(`${domain}: p50/p95/p99 from histogram_quantile are within 6% of the exact values`, () => {
      for (const median of medians) {
        for (const sigma of [0.3, 0.6, 1]) {
          const samples = logNormalSamples(40_000, median, sigma, Math.round(median * 1e6) + sigma);
          for (const q of [0.5, 0.95, 0.99]) {
            const estimate = histogramQuantile(boundaries, samples, q);
            const exact = exactQuantile(samples, q);
            const error = Math.abs(estimate / exact - 1);
            expect(error, `${domain} median=${median} sigma=${sigma} q=${q}`).toBeLessThanOrEqual(
              STATED_MAX_RELATIVE_ERROR,
            );
          }
        }
      }
    });
  }

  it('keeps every OTel HTTP semantic-conventions boundary as an edge', () => {
    for (const edge of HTTP_SEMCONV_BUCKETS) expect(HTTP_DURATION_BUCKETS).toContain(edge);
  });

  it('are strictly increasing and positive', () => {
    for (const [, boundaries] of DOMAINS) {
      for (let i = 1; i < boundaries.length; i++) {
        expect(boundaries[i]).toBeGreaterThan(boundaries[i - 1] ?? 0);
      }
      expect(boundaries[0]).toBeGreaterThan(0);
    }
  });

  it('a coarse 1-2-5 series would not meet the bound (the test can fail)', () => {
    const coarse = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
    const samples = logNormalSamples(40_000, 0.04, 0.3, 7);
    const error = Math.abs(
      histogramQuantile(coarse, samples, 0.95) / exactQuantile(samples, 0.95) - 1,
    );
    expect(error).toBeGreaterThan(STATED_MAX_RELATIVE_ERROR);
  });
});
