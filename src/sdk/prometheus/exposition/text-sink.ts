/**
 * Characters gathered into one chunk of an exposition: 256 K, so that the flat copy V8 makes of a
 * chunk when it is encoded (at least 256 KB) is above V8's 128 KB limit for regular heap objects.
 * A copy made while the chunk is young then goes to the young large-object space, which
 * scavenges promote without copying. With 64 K chunks those copies were young regular objects,
 * and the scavenges that landed while a gzip answer was compressed copied them: pauses of
 * 11–14 ms, the longest stall of such a scrape, gone with 256 K chunks (BENCHMARKS.md, scrape).
 */
const CHUNK_CHARS = 256 * 1024;

/**
 * Collects an exposition as text chunks of {@link CHUNK_CHARS} characters or more: pieces are
 * appended to a string (cheap in V8: no copy per piece). Nothing is encoded here; the HTTP handler encodes
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
