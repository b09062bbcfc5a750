import { OpmeterConfigError } from '../../core/config-error.js';
import type { Token } from './ddl-tokenizer.js';

/** Reads the tokens of one DDL statement one by one, with errors that say where. */
export class TokenCursor {
  private index = 0;

  /** Starts at the first of `tokens`; `context` prefixes every error (e.g. the YAML file). */
  constructor(
    private readonly tokens: readonly Token[],
    private readonly context: string,
  ) {}

  /** The token `offset` ahead of the current one, without consuming it. */
  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  /** Consumes and returns the current token; fails at the end. */
  next(): Token {
    const token = this.tokens[this.index];
    if (!token) this.fail('unexpected end of statement');
    this.index += 1;
    return token as Token;
  }

  /** True when every token was consumed. */
  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  /** True when the token `offset` ahead is `word` (case-insensitive). */
  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  /** True when the current token is the punctuation `punct`. */
  isPunct(punct: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === punct;
  }

  /** Consumes the current token if it is `word`; tells whether it did. */
  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index += 1;
    return true;
  }

  /** Consumes the current token if it is `punct`; tells whether it did. */
  acceptPunct(punct: string): boolean {
    if (!this.isPunct(punct)) return false;
    this.index += 1;
    return true;
  }

  /** Consumes `word` or fails. */
  expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word}`);
  }

  /** Consumes `punct` or fails. */
  expectPunct(punct: string): void {
    if (!this.acceptPunct(punct)) this.fail(`expected '${punct}'`);
  }

  /** Consumes an identifier (bare or backquoted). */
  name(): string {
    const token = this.next();
    if (token.kind !== 'identifier' && token.kind !== 'word') {
      this.fail(`expected a name, found '${token.text}'`, token);
    }
    return token.text;
  }

  /** Consumes an integer literal. */
  integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || token.text.includes('.')) {
      this.fail(`expected an integer, found '${token.text}'`, token);
    }
    return Number(token.text);
  }

  /** Consumes a quoted string literal. */
  string(): string {
    const token = this.next();
    if (token.kind !== 'string')
      this.fail(`expected a 'quoted string', found '${token.text}'`, token);
    return token.text;
  }

  /** Throws an error naming the context, the message and where in the DDL. */
  fail(message: string, at: Token | undefined = this.peek()): never {
    const where = at ? ` on line ${at.line} near '${at.text}'` : ' at the end';
    throw new OpmeterConfigError(`${this.context}: ${message}${where}`);
  }
}
