/** Characters gathered into one chunk of an exposition. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Collects an exposition as text chunks of about 64 K characters: pieces are appended to a
 * string (cheap in V8: no copy per piece). Nothing is encoded here; the HTTP handler encodes
 * the chunks it sends, and an in-process scrape hands them out as one string without encoding.
 */
export class TextSink {
  #chunks: string[] = [];
  #text = '';

  /** Appends text (well-formed: lone surrogates were replaced before). */
  append(piece: string): void {
    this.#text += piece;
    if (this.#text.length >= CHUNK_CHARS) this.#cut();
  }

  /** Ends a line. */
  newline(): void {
    this.#text += '\n';
  }

  /** The chunks written, in order; they are the caller's from now on. */
  finish(): string[] {
    this.#cut();
    return this.#chunks;
  }

  /** Empties the sink for another exposition (chunks handed out by {@link finish} are kept). */
  clear(): void {
    this.#chunks = [];
    this.#text = '';
  }

  #cut(): void {
    if (this.#text === '') return;
    this.#chunks.push(this.#text);
    this.#text = '';
  }
}
