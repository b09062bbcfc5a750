import { describe, expect, it } from 'vitest';
import { QuantileSketch } from '../../src/stats/quantile-sketch.js';
import { SessionStats } from '../../src/stats/session-stats.js';

describe('SessionStats and QuantileSketch merge exactly', () => {
  it('a merged sketch answers every quantile as one sketch of all the values does', () => {
    const all = new QuantileSketch();
    const parts = [new QuantileSketch(), new QuantileSketch(), new QuantileSketch()];
    for (let i = 0; i < 3000; i++) {
      const value = i % 7 === 0 ? 0 : (((i * 7919) % 1000) + 1) / 1000;
      all.add(value);
      parts[i % 3]?.add(value);
    }
    const merged = new QuantileSketch();
    for (const part of parts) merged.merge(JSON.parse(JSON.stringify(part.state())));
    expect(merged.count).toBe(all.count);
    for (const q of [0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      expect(merged.quantile(q)).toBe(all.quantile(q));
    }
    expect(merged.state()).toEqual(all.state());
  });

  it('merges session statistics of several workers as if one process had recorded everything', () => {
    const all = new SessionStats();
    const workers = [new SessionStats(), new SessionStats()];
    for (let i = 0; i < 200; i++) {
      const args = [
        'workflow',
        i % 3 === 0 ? 'IMPORT' : 'EXPORT',
        i / 100,
        i,
        i % 10 !== 0,
      ] as const;
      all.record(...args);
      workers[i % 2]?.record(...args);
    }
    const merged = new SessionStats();
    for (const worker of workers) merged.merge(JSON.parse(JSON.stringify(worker.state())));
    const strip = (s: SessionStats) => ({ ...s.snapshot(), uptimeSeconds: 0 });
    const expected = strip(all);
    const got = strip(merged);
    expect(got.operations.map((o) => o.operations)).toEqual(
      expected.operations.map((o) => o.operations),
    );
    expect(got.totals.operations).toBe(200);
    expect(got.totals.errors).toBe(expected.totals.errors);
    for (const [i, op] of got.operations.entries()) {
      const want = expected.operations[i];
      expect(op.p50Seconds).toBe(want?.p50Seconds);
      expect(op.p99Seconds).toBe(want?.p99Seconds);
      expect(op.minSeconds).toBe(want?.minSeconds);
      expect(op.maxSeconds).toBe(want?.maxSeconds);
      expect(op.totalSeconds).toBeCloseTo(want?.totalSeconds ?? 0, 9);
    }
  });

  it('sends operations past maxOperations to _other when merging, as record does', () => {
    const worker = new SessionStats();
    for (let i = 0; i < 5; i++) worker.record('d', `op${i}`, 1, 0, true);
    const merged = new SessionStats({ maxOperations: 2 });
    merged.merge(worker.state());
    const names = merged.snapshot().operations.map((o) => [o.operation, o.operations]);
    expect(names).toEqual([
      ['_other', 3],
      ['op0', 1],
      ['op1', 1],
    ]);
  });
});
