import { describe, expect, it } from 'vitest';
import { TagSetIndex } from '../../instrumentations/custom/tag-set-index.js';

describe('TagSetIndex', () => {
  it('finds a tag set whatever the order of its tags, and no tags as the empty set', () => {
    const index = new TagSetIndex<string>(10);
    index.add({ region: 'eu', route: '/a' }, 'eu /a');
    index.add(undefined, 'none');
    expect(index.get({ region: 'eu', route: '/a' })).toBe('eu /a');
    expect(index.get({ route: '/a', region: 'eu' })).toBe('eu /a');
    expect(index.get({ route: '/a', region: 'eu' })).toBe('eu /a');
    expect(index.get({})).toBe('none');
    expect(index.get({ region: 'eu' })).toBeUndefined();
    expect(index.get({ region: 'eu', route: '/a', extra: true })).toBeUndefined();
    expect(index.size).toBe(2);
    expect([...index.values()]).toEqual(['eu /a', 'none']);
  });

  it('keeps a number, the same digits as a string, and a boolean apart', () => {
    const index = new TagSetIndex<string>(10);
    index.add({ code: 200 }, 'number');
    index.add({ code: '200' }, 'string');
    index.add({ code: true }, 'boolean');
    expect(index.get({ code: 200 })).toBe('number');
    expect(index.get({ code: '200' })).toBe('string');
    expect(index.get({ code: 'true' })).toBeUndefined();
    expect(index.get({ code: true })).toBe('boolean');
  });

  it('past its bound of kept tags, still finds every set by its canonical key', () => {
    const index = new TagSetIndex<number>(4);
    for (let i = 0; i < 5; i++) index.add({ a: `${i}`, b: 'z' }, i);
    expect(index.size).toBe(5);
    for (let i = 0; i < 5; i++) {
      expect(index.get({ a: `${i}`, b: 'z' })).toBe(i);
      expect(index.get({ b: 'z', a: `${i}` })).toBe(i);
    }
  });
});
