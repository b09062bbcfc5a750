import { describe, expect, it } from 'vitest';
import { SeriesCache } from '../../src/core/series-cache.js';
import { TupleCache } from '../../src/core/tuple-cache.js';

describe('TupleCache', () => {
  it('keeps tuples apart by part, value and type, whatever characters the parts hold', () => {
    const cache = new TupleCache<string>(100);
    const keys = [
      ['a\nb', 'c'],
      ['a', 'b\nc'],
      ['1', 'x'],
      [1, 'x'],
      [undefined, 'x'],
      ['', 'x'],
      ['undefined', 'x'],
      [true, 'x'],
      ['true', 'x'],
    ] as const;
    for (const [i, key] of keys.entries()) expect(cache.set(key, `v${i}`)).toBe(true);
    expect(cache.size).toBe(keys.length);
    for (const [i, key] of keys.entries()) expect(cache.get(key)).toBe(`v${i}`);
    expect(cache.get(['a', 'c'])).toBeUndefined();
    expect(cache.get(['zz', 'x'])).toBeUndefined();
  });

  it('replaces the value of a kept tuple without growing', () => {
    const cache = new TupleCache<number>(2);
    cache.set(['a', 1], 1);
    cache.set(['a', 1], 2);
    expect(cache.size).toBe(1);
    expect(cache.get(['a', 1])).toBe(2);
  });

  it('keeps at most max entries and no new branch past it', () => {
    const cache = new TupleCache<number>(3);
    for (let i = 0; i < 10; i++) expect(cache.set([`p${i}`, i, 'x'], i)).toBe(i < 3);
    expect(cache.size).toBe(3);
    expect(cache.get(['p2', 2, 'x'])).toBe(2);
    expect(cache.get(['p3', 3, 'x'])).toBeUndefined();
    // a full cache still replaces what it holds
    expect(cache.set(['p0', 0, 'x'], 100)).toBe(true);
    expect(cache.get(['p0', 0, 'x'])).toBe(100);
  });
});

describe('SeriesCache', () => {
  it('keeps each series under its own key when building one looks up another', () => {
    const cache: SeriesCache<string> = new SeriesCache((a, b, c) => {
      // building a parent series first reuses the cache's lookup key
      if (b !== '') cache.get(a);
      return `${a}|${b}|${c}`;
    });
    expect(cache.get('wf', 'pkg', 'mode')).toBe('wf|pkg|mode');
    expect(cache.get('wf', 'pkg', 'mode')).toBe('wf|pkg|mode');
    expect(cache.get('wf')).toBe('wf||');
    expect(cache.size).toBe(2);
  });
});
