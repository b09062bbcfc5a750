/** Characters gathered as one string before they are encoded into a buffer. */
const FLUSH_CHARS = 64 * 1024;

/**
 * Collects an exposition as UTF-8 buffers: pieces are appended to a string (cheap in V8: no copy
 * per piece) and encoded once per 64 K characters, so no buffer write is made per line.
 */
export class ByteSink {
  readonly #chunks: Buffer[] = [];
  #text = '';
  #bytes = 0;

  /** Appends text (well-formed: lone surrogates were replaced before). */
  append(piece: string): void {
    this.#text += piece;
    if (this.#text.length >= FLUSH_CHARS) this.#flush();
  }

  /** Ends a line. */
  newline(): void {
    this.#text += '\n';
  }

  /** The buffers written, in order, and their total length. The sink must not be used afterwards. */
  finish(): { chunks: Buffer[]; bytes: number } {
    this.#flush();
    return { chunks: this.#chunks, bytes: this.#bytes };
  }

  #flush(): void {
    if (this.#text === '') return;
    const chunk = Buffer.from(this.#text, 'utf8');
    this.#text = '';
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }
}
