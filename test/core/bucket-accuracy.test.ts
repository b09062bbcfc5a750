import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUSTOM_TIMING_PRESETS } from '../../instrumentations/custom/semconv.js';
import { MODULE_OPERATION_DURATION_PRESETS } from '../../instrumentations/module/semconv.js';
import {
  BATCH_FILE_DURATION_PRESETS,
  type BucketPreset,
  type BucketPresets,
  DEFAULT_BUCKET_BUDGET,
  EVENT_DURATION_PRESETS,
  HTTP_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS_FINE,
  HTTP_DURATION_PRESETS,
  HTTP_SEMCONV_BUCKETS,
  NOTIFY_DURATION_PRESETS,
  WORKFLOW_DURATION_PRESETS,
} from '../../src/core/buckets.js';
import {
  exactQuantile,
  geometricMedians,
  histogramQuantile,
  logNormalSamples,
  type QuantileAccuracy,
  quantileAccuracy,
  workloads,
} from '../support/distributions.js';

const QUANTILES = [0.5, 0.9, 0.95, 0.99];
const SIGMAS = [0.3, 0.6, 1];
/** Medians per domain: dense enough to meet the worst alignment of a median with the edges. */
const MEDIANS_PER_DOMAIN = 24;
const DOCS = new URL('../../docs/buckets.md', import.meta.url);

interface Domain {
  /** Row name in docs/buckets.md. */
  name: string;
  presets: BucketPresets;
  /** Range of workload medians, seconds: the realistic operations of the domain. */
  medians: [number, number];
  /** Stated worst relative error of p50 / p90 / p95 / p99, in percent, per preset. */
  bounds: Record<BucketPreset, [number, number, number, number]>;
}

const DOMAINS: Domain[] = [
  {
    name: 'event',
    presets: EVENT_DURATION_PRESETS,
    medians: [0.0001, 0.25],
    bounds: { default: [25, 61, 69, 81], fine: [2, 5, 6, 8] },
  },
  {
    name: 'http',
    presets: HTTP_DURATION_PRESETS,
    medians: [0.01, 0.5],
    bounds: { default: [23, 60, 69, 80], fine: [2, 5, 6, 8] },
  },
  {
    name: 'notify',
    presets: NOTIFY_DURATION_PRESETS,
    medians: [0.05, 5],
    bounds: { default: [12, 34, 41, 48], fine: [2, 5, 6, 8] },
  },
  {
    name: 'workflow',
    presets: WORKFLOW_DURATION_PRESETS,
    medians: [2, 1200],
    bounds: { default: [22, 61, 66, 81], fine: [2, 5, 6, 8] },
  },
  {
    name: 'custom timing',
    presets: CUSTOM_TIMING_PRESETS,
    medians: [0.001, 4],
    bounds: { default: [25, 61, 69, 82], fine: [2, 5, 6, 8] },
  },
];
const BATCH_FILE: Domain = {
  name: 'batch file',
  presets: BATCH_FILE_DURATION_PRESETS,
  medians: [0.1, 300],
  bounds: { default: [24, 59, 66, 79], fine: [2, 5, 6, 8] },
};
// Module operations share the batch-file edges and are measured over the same workloads.
DOMAINS.push(BATCH_FILE, {
  ...BATCH_FILE,
  name: 'module',
  presets: MODULE_OPERATION_DURATION_PRESETS,
});

const measured = new Map<string, QuantileAccuracy>();
function accuracy(domain: Domain, preset: BucketPreset): QuantileAccuracy {
  const key = `${domain.name}/${preset}`;
  let result = measured.get(key);
  if (result === undefined) {
    const cases = workloads(
      geometricMedians(domain.medians[0], domain.medians[1], MEDIANS_PER_DOMAIN),
      SIGMAS,
    );
    result = quantileAccuracy(domain.presets[preset], cases, QUANTILES);
    measured.set(key, result);
  }
  return result;
}

/** The cells of the docs/buckets.md accuracy table row `| name | preset | … |`. */
function documentedRow(markdown: string, name: string, preset: BucketPreset): string[] {
  const row = markdown
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .find((cells) => cells[1] === name && cells[2] === `\`${preset}\``);
  if (row === undefined) throw new Error(`docs/buckets.md has no row for ${name} ${preset}`);
  return row.slice(1, -1);
}

describe('duration bucket presets', () => {
  for (const domain of DOMAINS) {
    for (const preset of ['default', 'fine'] as const) {
      const bounds = domain.bounds[preset];
      it(`${domain.name} '${preset}': p50/p90/p95/p99 within ${bounds.join('/')}%`, () => {
        const { worst } = accuracy(domain, preset);
        QUANTILES.forEach((q, i) => {
          expect(worst.get(q), `${domain.name} ${preset} q=${q}`).toBeLessThanOrEqual(
            (bounds[i] ?? 0) / 100,
          );
        });
      });
    }
  }

  it('docs/buckets.md states the measured errors and the series of every preset', () => {
    const markdown = readFileSync(DOCS, 'utf8');
    for (const domain of DOMAINS) {
      for (const preset of ['default', 'fine'] as const) {
        const cells = documentedRow(markdown, domain.name, preset);
        const { worst, mean } = accuracy(domain, preset);
        const edges = domain.presets[preset].length;
        const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
        expect(cells.slice(2), `${domain.name} ${preset}`).toEqual([
          String(edges),
          String(edges + 3),
          ...QUANTILES.map((q) => percent(worst.get(q) ?? Number.NaN)),
          percent(mean),
        ]);
      }
    }
  });

  it(`every default has at most ${DEFAULT_BUCKET_BUDGET} finite boundaries`, () => {
    for (const { name, presets } of DOMAINS) {
      expect(presets.default.length, name).toBeLessThanOrEqual(DEFAULT_BUCKET_BUDGET);
    }
  });

  it('HTTP keeps exactly the semconv boundaries; its fine preset keeps them all', () => {
    expect(HTTP_DURATION_BUCKETS).toEqual(HTTP_SEMCONV_BUCKETS);
    expect(HTTP_DURATION_BUCKETS).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);
    for (const edge of HTTP_SEMCONV_BUCKETS) expect(HTTP_DURATION_BUCKETS_FINE).toContain(edge);
  });

  it('presets are strictly increasing and positive', () => {
    for (const { name, presets } of DOMAINS) {
      for (const boundaries of [presets.default, presets.fine]) {
        for (let i = 1; i < boundaries.length; i++) {
          expect(boundaries[i], name).toBeGreaterThan(boundaries[i - 1] ?? 0);
        }
        expect(boundaries[0], name).toBeGreaterThan(0);
      }
    }
  });

  it('each default covers its workloads: p99 of the slowest stays below the top edge', () => {
    for (const { name, presets, medians } of DOMAINS) {
      const slowestP99 = medians[1] * Math.exp(Math.max(...SIGMAS) * 2.3263);
      expect(slowestP99, name).toBeLessThan(presets.default.at(-1) ?? 0);
      expect(medians[0], name).toBeGreaterThanOrEqual(presets.default[0] ?? Number.NaN);
    }
  });

  it('a coarse 1-2-5 series would not meet the fine bound (the test can fail)', () => {
    const coarse = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
    const samples = logNormalSamples(40_000, 0.04, 0.3, 7);
    const error = Math.abs(
      histogramQuantile(coarse, samples, 0.95) / exactQuantile(samples, 0.95) - 1,
    );
    expect(error).toBeGreaterThan(0.08);
  });
});
