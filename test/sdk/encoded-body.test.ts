import { describe, expect, it } from 'vitest';
import { encodedBody } from '../../src/sdk/prometheus/encoded-body.js';
import type { Rendering } from '../../src/sdk/prometheus/exposition/engine.js';
import { TEXT_FORMAT } from '../../src/sdk/prometheus/exposition/format.js';

describe('encodedBody', () => {
  it('encodes a rendering once, however many answers share it, to its UTF-8 bytes', async () => {
    const rendering: Rendering = {
      format: TEXT_FORMAT,
      chunks: ['a{l="é"} 1\n', 'b 2😀\n'],
      series: 2,
    };
    const first = encodedBody(rendering);
    expect(encodedBody(rendering)).toBe(first);
    const { buffers, bytes } = await first;
    const body = Buffer.concat(buffers);
    expect(body.toString('utf8')).toBe(rendering.chunks.join(''));
    expect(bytes).toBe(body.length);
    expect(bytes).toBe(Buffer.byteLength(rendering.chunks.join('')));
  });
});
