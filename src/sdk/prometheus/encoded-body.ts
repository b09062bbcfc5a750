import type { Rendering } from './exposition/engine.js';
import { Slicer } from './exposition/slicer.js';

/** A rendering as the UTF-8 bytes an uncompressed answer sends. */
export interface EncodedBody {
  readonly buffers: readonly Buffer[];
  readonly bytes: number;
}

const encodings = new WeakMap<Rendering, Promise<EncodedBody>>();

/**
 * The UTF-8 buffers of `rendering`, encoded once however many answers share it, chunk by chunk
 * between turns of the event loop (a 20 MB body encoded at once would stall it for tens of ms).
 */
export function encodedBody(rendering: Rendering): Promise<EncodedBody> {
  let encoding = encodings.get(rendering);
  if (encoding === undefined) {
    encoding = encode(rendering.chunks);
    encodings.set(rendering, encoding);
  }
  return encoding;
}

async function encode(chunks: readonly string[]): Promise<EncodedBody> {
  const slicer = new Slicer();
  const buffers: Buffer[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    const buffer = Buffer.from(chunk, 'utf8');
    buffers.push(buffer);
    bytes += buffer.length;
    if (slicer.due()) await slicer.yield();
  }
  return { buffers, bytes };
}
