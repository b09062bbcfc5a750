import { describe, expect, it } from 'vitest';
import { RateLimitedWarner } from '../../src/def-metric/warner.js';

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
