import { describe, expect, it } from 'vitest';
import { RowQueue } from '../../src/def-metric/writer/row-queue.js';

describe('RowQueue', () => {
  it('refuses new rows when full and keeps the waiting ones, oldest first', () => {
    const queue = new RowQueue(2);
    expect(queue.offer('t', { n: 1 })).toBe(true);
    expect(queue.offer('t', { n: 2 })).toBe(true);
    expect(queue.offer('t', { n: 3 })).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.take(1).map((item) => item.row)).toEqual([{ n: 1 }]);
    expect(queue.offer('u', { n: 4 })).toBe(true);
    expect(queue.takeAll().map((item) => [item.table, item.row])).toEqual([
      ['t', { n: 2 }],
      ['u', { n: 4 }],
    ]);
    expect(queue.length).toBe(0);
  });

  it('stamps each row with the time it was offered', () => {
    const queue = new RowQueue(1);
    const before = Date.now();
    queue.offer('t', {});
    const [item] = queue.takeAll();
    expect(item?.at).toBeGreaterThanOrEqual(before);
    expect(item?.at).toBeLessThanOrEqual(Date.now());
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RowQueue(0)).toThrow(/positive integer, got 0/);
  });
});
