import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryBackoff } from '../../src/def-metric/writer/retry-backoff.js';

afterEach(() => {
  vi.useRealTimers();
});

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

  it('sleeps between half of the delay and all of it (jitter)', async () => {
    vi.useFakeTimers();
    for (const [random, slept] of [
      [0, 2_000],
      [0.5, 3_000],
      [0.999, 3_998],
    ] as const) {
      const backoff = new RetryBackoff(4_000, 4_000, () => random);
      let done = false;
      void backoff.wait().then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(slept - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    }
  });

  it('ends the wait as soon as a health probe succeeds, probing once per interval', async () => {
    vi.useFakeTimers();
    const backoff = new RetryBackoff(4_000, 4_000, () => 0.99);
    let probes = 0;
    const probe = async () => {
      probes += 1;
      if (probes < 3) throw new Error('ECONNREFUSED');
    };
    let result: boolean | undefined;
    void backoff.wait(probe, 500).then((answered) => {
      result = answered;
    });
    await vi.advanceTimersByTimeAsync(1_499);
    expect(probes).toBe(2);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(probes).toBe(3);
    expect(result).toBe(true);
  });
});
