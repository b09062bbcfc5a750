import { OpmeterConfigError } from '../../core/config-error.js';

/** One lexical token of a CREATE TABLE statement. */
export interface Token {
  readonly kind: 'identifier' | 'word' | 'string' | 'number' | 'punct' | 'placeholder';
  /** Unquoted text: identifier without backticks, string without quotes and escapes resolved. */
  readonly text: string;
  readonly line: number;
}

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  Z: '\x1a',
};

/** Splits MySQL DDL into tokens, dropping `-- `, `#` and `/* *\/` comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const fail = (what: string): never => {
    throw new OpmeterConfigError(`DDL syntax error on line ${line}: ${what}`);
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === '\n') {
      line += 1;
      i += 1;
    } else if (/\s/.test(ch)) {
      i += 1;
    } else if ((ch === '-' && sql.startsWith('--', i)) || ch === '#') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment');
      for (let j = i; j < end; j += 1) if (sql[j] === '\n') line += 1;
      i = end + 2;
    } else if (ch === '`') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= sql.length) fail('unterminated `identifier`');
        if (sql[i] === '`') {
          if (sql[i + 1] !== '`') break;
          i += 1;
        }
        text += sql[i];
        i += 1;
      }
      i += 1;
      tokens.push({ kind: 'identifier', text, line });
    } else if (ch === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= sql.length) fail('unterminated string literal');
        const c = sql[i] as string;
        if (c === "'" && sql[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (c === "'") {
          break;
        } else if (c === '\\' && i + 1 < sql.length) {
          const next = sql[i + 1] as string;
          text += STRING_ESCAPES[next] ?? next;
          i += 2;
        } else {
          if (c === '\n') line += 1;
          text += c;
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: 'string', text, line });
    } else if (ch === '{') {
      const end = sql.indexOf('}', i);
      if (end < 0) fail('unterminated {placeholder}');
      tokens.push({ kind: 'placeholder', text: sql.slice(i, end + 1), line });
      i = end + 1;
    } else if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0], line });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'word', text: match[0], line });
      i += match[0].length;
    } else if ('(),=;-'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, line });
      i += 1;
    } else {
      fail(`unexpected character '${ch}'`);
    }
  }
  return tokens;
}
