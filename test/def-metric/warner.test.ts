import { describe, expect, it } from 'vitest';
import {
  RateLimitedWarner,
  WARNER_MAX_KEYS,
  WARNER_MAX_MESSAGE_LENGTH,
} from '../../src/def-metric/writer/warner.js';

function warnerAt(intervalMs: number) {
  const messages: string[] = [];
  const clock = { now: 1_000 };
  const warner = new RateLimitedWarner(
    (m) => messages.push(m),
    intervalMs,
    () => clock.now,
  );
  return { warner, messages, clock };
}

describe('RateLimitedWarner', () => {
  it('sends one warning per key and interval, then says how many it held back', () => {
    const { warner, messages, clock } = warnerAt(60_000);
    warner.warn('retry', 'database down');
    warner.warn('retry', 'database down');
    warner.warn('retry', 'database down');
    clock.now += 59_999;
    warner.warn('retry', 'database down');
    expect(messages).toEqual(['opmeter def_metric: database down']);
    clock.now += 1;
    warner.warn('retry', 'database back?');
    expect(messages).toEqual([
      'opmeter def_metric: database down',
      'opmeter def_metric: database back? (3 similar warnings held back)',
    ]);
  });

  it('limits each key on its own', () => {
    const { warner, messages } = warnerAt(60_000);
    warner.warn('drop:queue_full', 'queue full');
    warner.warn('retry', 'database down');
    warner.warn('drop:queue_full', 'queue full');
    expect(messages).toEqual([
      'opmeter def_metric: queue full',
      'opmeter def_metric: database down',
    ]);
  });

  it('survives a sink that throws', () => {
    const warner = new RateLimitedWarner(() => {
      throw new Error('sink broken');
    }, 1);
    expect(() => warner.warn('k', 'message')).not.toThrow();
  });
});

describe('RateLimitedWarner bounds', () => {
  it('200,000 distinct keys in one interval: at most WARNER_MAX_KEYS + 1 warnings and tracked keys', () => {
    const { warner, messages } = warnerAt(60_000);
    for (let i = 0; i < 200_000; i++) {
      warner.warn(`reject:t${i}:unknown_table`, `row for t${i} rejected (unknown_table)`);
    }
    expect(messages.length).toBe(WARNER_MAX_KEYS + 1);
    expect(messages.at(-1)).toMatch(/one of many kinds of warnings/);
    expect(warner.trackedKeys).toBe(WARNER_MAX_KEYS + 1);
  });

  it('keys whose interval passed make room; the shared key says how many it held back', () => {
    const { warner, messages, clock } = warnerAt(1_000);
    for (let i = 0; i < 1_000; i++) warner.warn(`k${i}`, `w${i}`);
    expect(messages).toHaveLength(WARNER_MAX_KEYS + 1);
    clock.now += 1_000;
    warner.warn('fresh', 'a new kind');
    expect(messages.at(-1)).toBe('opmeter def_metric: a new kind');
    warner.warn('k999', 'again');
    expect(warner.trackedKeys).toBeLessThanOrEqual(WARNER_MAX_KEYS + 1);
    const overflow = new RateLimitedWarner(
      (m) => messages.push(m),
      1_000,
      () => clock.now,
    );
    for (let i = 0; i < WARNER_MAX_KEYS + 10; i++) overflow.warn(`x${i}`, 'x');
    clock.now += 1_000;
    for (let i = 0; i < WARNER_MAX_KEYS; i++) overflow.warn(`y${i}`, 'y');
    overflow.warn('z', 'z');
    expect(messages.at(-1)).toMatch(/^opmeter def_metric: z/);
  });

  it('cuts long messages and long keys', () => {
    const { warner, messages } = warnerAt(60_000);
    warner.warn('k'.repeat(100_000), 'm'.repeat(100_000));
    warner.warn(`${'k'.repeat(100_000)}other`, 'same start');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.length).toBeLessThan(WARNER_MAX_MESSAGE_LENGTH + 50);
  });
});
