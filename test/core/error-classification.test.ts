import { describe, expect, it } from 'vitest';
import {
  errorCategoryOf,
  errorMessageOf,
  errorTypeOf,
} from '../../src/core/error-classification.js';

const withCode = (code: string, ctor: ErrorConstructor = Error) =>
  Object.assign(new ctor('m'), { code });

describe('error classification', () => {
  it.each([
    [withCode('ECONNRESET'), 'ECONNRESET', 'NETWORK'],
    [withCode('ETIMEDOUT'), 'ETIMEDOUT', 'TIMEOUT'],
    [withCode('ENOENT'), 'ENOENT', 'NOT_FOUND'],
    [withCode('EACCES'), 'EACCES', 'PERMISSION'],
    [withCode('ENOSPC'), 'ENOSPC', 'RESOURCE_EXHAUSTED'],
    [withCode('EIO'), 'EIO', 'IO_ERROR'],
    [new TypeError('x'), 'TypeError', 'VALIDATION'],
    [new DOMException('t', 'TimeoutError'), 'TimeoutError', 'TIMEOUT'],
    [new DOMException('a', 'AbortError'), 'AbortError', 'CANCELLED'],
    [new Error('plain'), 'Error', 'UNKNOWN'],
    [withCode('has spaces in it'), 'Error', 'UNKNOWN'],
    ['thrown string', '_OTHER', 'UNKNOWN'],
    [42, '_OTHER', 'UNKNOWN'],
  ])('%o → error.type %s, category %s', (error, type, category) => {
    expect(errorTypeOf(error)).toBe(type);
    expect(errorCategoryOf(error)).toBe(category);
  });

  it('never uses the message as the type', () => {
    expect(errorTypeOf(new Error('user 123 not found'))).toBe('Error');
    expect(errorTypeOf(Object.assign(new Error('x'), { name: 'user 123 not found' }))).toBe(
      'Error',
    );
  });

  it('renders messages of any thrown value', () => {
    expect(errorMessageOf(new Error('boom'))).toBe('boom');
    expect(errorMessageOf('text')).toBe('text');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessageOf(cyclic)).toBe('[object Object]');
  });
});
