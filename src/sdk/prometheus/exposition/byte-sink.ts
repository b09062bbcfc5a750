/** Size of each output buffer; a larger piece gets a buffer of its own size. */
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 10;

/**
 * Collects an exposition as UTF-8 bytes in a few large buffers: pre-encoded pieces (series heads,
 * `le` text) are copied, numbers written as ASCII, so no intermediate strings are built per line.
 */
export class ByteSink {
  readonly #chunks: Buffer[] = [];
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #offset = 0;
  #bytes = 0;

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes + this.#offset;
  }

  /** Appends pre-encoded bytes. */
  copy(piece: Buffer): void {
    this.#reserve(piece.length);
    this.#buffer.set(piece, this.#offset);
    this.#offset += piece.length;
  }

  /** Appends ASCII text (numbers, exemplar suffixes). */
  ascii(text: string): void {
    this.#reserve(text.length);
    this.#offset += this.#buffer.write(text, this.#offset, 'latin1');
  }

  /** Appends any (well-formed) text as UTF-8. */
  text(text: string): void {
    this.#reserve(Buffer.byteLength(text));
    this.#offset += this.#buffer.write(text, this.#offset, 'utf8');
  }

  /** Ends a line. */
  newline(): void {
    this.#reserve(1);
    this.#buffer[this.#offset++] = NEWLINE;
  }

  /** The buffers written, in order. The sink must not be used afterwards. */
  finish(): Buffer[] {
    if (this.#offset > 0) this.#chunks.push(this.#buffer.subarray(0, this.#offset));
    return this.#chunks;
  }

  #reserve(length: number): void {
    if (this.#offset + length <= this.#buffer.length) return;
    if (this.#offset > 0) this.#chunks.push(this.#buffer.subarray(0, this.#offset));
    this.#bytes += this.#offset;
    this.#buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length));
    this.#offset = 0;
  }
}
