import { describe, expect, it } from 'vitest';
import { OVERFLOW_OPERATION, SessionStats } from '../../src/stats/session-stats.js';
import { formatSeconds } from '../../src/stats/stats-table.js';

describe('SessionStats', () => {
  it('aggregates per operation and overall, matching hand-computed figures', () => {
    const stats = new SessionStats();
    stats.record('workflow', 'IMPORT', 2, 100, true);
    stats.record('workflow', 'IMPORT', 6, 300, false);
    stats.record('event', 'order.created', 0.5, 0, true);
    const snap = stats.snapshot();
    expect(snap.operations.map((o) => `${o.domain}/${o.operation}`)).toEqual([
      'event/order.created',
      'workflow/IMPORT',
    ]);
    expect(snap.operations[1]).toMatchObject({
      operations: 2,
      items: 400,
      errors: 1,
      errorRate: 50,
      totalSeconds: 8,
      averageSeconds: 4,
      itemsPerSecond: 50,
      minSeconds: 2,
      maxSeconds: 6,
    });
    expect(snap.totals).toMatchObject({ operations: 3, items: 400, errors: 1, totalSeconds: 8.5 });
    expect(snap.totals.errorRate).toBeCloseTo(33.333, 2);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('prints an aligned table with a totals line', () => {
    const stats = new SessionStats();
    stats.record('workflow', 'IMPORT', 0.25, 10, true);
    const lines = stats.format().split('\n');
    expect(lines[0]).toMatch(/^domain\s+operation\s+ops\s+items/);
    expect(lines[2]).toMatch(/^workflow\s+IMPORT\s+1\s+10\s+40\.0\s+0\s+0\.00\s+250ms/);
    expect(lines.at(-1)).toMatch(/^total: 1 operations, 10 items, 0 errors \(0\.00%\)/);
    const header = lines[0] ?? '';
    expect(lines[2]?.length).toBeLessThanOrEqual(header.length + 20);
  });

  it('reset forgets everything; disabled records nothing', () => {
    const stats = new SessionStats();
    stats.record('a', 'b', 1, 1, true);
    stats.reset();
    expect(stats.snapshot().operations).toEqual([]);
    stats.enabled = false;
    stats.record('a', 'b', 1, 1, true);
    expect(stats.snapshot().totals.operations).toBe(0);
  });

  it('bounds memory: operations past maxOperations go to _other', () => {
    const stats = new SessionStats({ maxOperations: 3 });
    for (let i = 0; i < 50; i++) stats.record('event', `type-${i}`, 0.001, 1, true);
    const ops = stats.snapshot().operations;
    expect(ops.length).toBe(4);
    expect(ops.find((o) => o.operation === OVERFLOW_OPERATION)?.operations).toBe(47);
  });

  it('counts non-finite or negative seconds and items as 0', () => {
    const stats = new SessionStats();
    stats.record('custom', 'op', Number.NaN, Number.POSITIVE_INFINITY, true);
    stats.record('custom', 'op', -3, -1, true);
    stats.record('custom', 'op', 2, 4, true);
    const op = stats.snapshot().operations[0];
    expect(op).toMatchObject({ operations: 3, items: 4, totalSeconds: 2, minSeconds: 0 });
    expect(stats.snapshot().totals.itemsPerSecond).toBe(2);
  });

  it('bounds memory across domains too: new domains past the cap share _other', () => {
    const stats = new SessionStats({ maxOperations: 3 });
    for (let i = 0; i < 50; i++) stats.record(`domain-${i}`, 'op', 0.001, 1, true);
    const ops = stats.snapshot().operations;
    expect(ops.length).toBe(4);
    expect(ops.filter((o) => o.domain === OVERFLOW_OPERATION)).toMatchObject([
      { operation: OVERFLOW_OPERATION, operations: 47 },
    ]);
  });
  it('reports p99.9 in snapshots and in the printed table (±1% relative)', () => {
    const stats = new SessionStats();
    // 10 000 operations of 1 ms … 10 s: the 99.9th percentile is the 9 990th smallest, 9.991 s.
    for (let i = 1; i <= 10_000; i++) stats.record('workflow', 'IMPORT', i / 1000, 1, true);
    const op = stats.snapshot().operations[0];
    expect(op?.p999Seconds).toBeGreaterThan(9.991 * 0.99);
    expect(op?.p999Seconds).toBeLessThan(9.991 * 1.01);
    expect(op?.p99Seconds).toBeLessThan(op?.p999Seconds ?? 0);
    const [header, , row] = stats.format().split('\n');
    expect(header).toMatch(/\sp99\s+p99\.9$/);
    expect(row?.endsWith(`  ${formatSeconds(op?.p999Seconds ?? null)}`)).toBe(true);
    expect(row).toMatch(/\s(9\.9\d|10\.[01])s$/);
  });
});
