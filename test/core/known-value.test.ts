import { describe, expect, it } from 'vitest';
import { knownValueOf } from '../../src/core/known-value.js';

const CHANNELS = ['email', 'sms'] as const;

describe('knownValueOf', () => {
  it('finds a value in any case, with surrounding spaces', () => {
    expect(['email', 'EMAIL', ' Sms\t'].map((v) => knownValueOf(CHANNELS, v))).toEqual([
      'email',
      'email',
      'sms',
    ]);
  });

  it('finds nothing for unknown values, inner spaces and non-strings', () => {
    const inputs: unknown[] = ['fax', 'e mail', '', undefined, null, 42, { toString: () => 'sms' }];
    expect(inputs.map((v) => knownValueOf(CHANNELS, v))).toEqual(inputs.map(() => undefined));
  });
});
