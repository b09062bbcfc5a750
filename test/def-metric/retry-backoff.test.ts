import { describe, expect, it } from 'vitest';
import { RetryBackoff } from '../../src/def-metric/retry-backoff.js';

describe('RetryBackoff', () => {
  it('doubles the delay after each wait up to the maximum, and resets it', async () => {
    const backoff = new RetryBackoff(20_000, 50_000);
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      delays.push(backoff.delayMs);
      const waited = backoff.wait();
      backoff.interrupt();
      await waited;
    }
    expect([...delays, backoff.delayMs]).toEqual([20_000, 40_000, 50_000, 50_000]);
    backoff.reset();
    expect(backoff.delayMs).toBe(20_000);
  });
});
