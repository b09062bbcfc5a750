/** One sample of a parsed exposition. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The raw text after the value (exemplar, timestamp), trimmed. */
  rest: string;
}

/** A parsed exposition: samples in order and the `#` lines. */
export interface ParsedExposition {
  samples: ParsedSample[];
  comments: string[];
}

/**
 * A small, strict parser of the Prometheus text formats (0.0.4 and OpenMetrics sample lines):
 * throws on a line it cannot read, so a test fails loudly on malformed output.
 */
export function parseExposition(text: string): ParsedExposition {
  const samples: ParsedSample[] = [];
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    samples.push(parseSample(line));
  }
  return { samples, comments };
}

const LABEL_KEY = /[a-zA-Z_][a-zA-Z0-9_]*="/y;

function parseSample(line: string): ParsedSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (nameMatch === null) throw new Error(`no metric name in ${JSON.stringify(line)}`);
  const name = nameMatch[0];
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    while (line[at] !== '}') {
      LABEL_KEY.lastIndex = at;
      const keyMatch = LABEL_KEY.exec(line);
      if (keyMatch === null) throw new Error(`bad label at ${at} in ${JSON.stringify(line)}`);
      const key = keyMatch[0].slice(0, -2);
      at += keyMatch[0].length;
      let value = '';
      for (;;) {
        const quote = line.indexOf('"', at);
        const slash = line.indexOf('\\', at);
        if (quote < 0) throw new Error(`unterminated value in ${JSON.stringify(line)}`);
        if (slash < 0 || quote < slash) {
          value += line.slice(at, quote);
          at = quote + 1;
          break;
        }
        value += line.slice(at, slash);
        const next = line[slash + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape \\${next} in ${JSON.stringify(line)}`);
        at = slash + 2;
      }
      if (Object.hasOwn(labels, key))
        throw new Error(`duplicate label ${key} in ${JSON.stringify(line)}`);
      labels[key] = value;
      if (line[at] === ',') at++;
    }
    at++;
  }
  if (line[at] !== ' ') throw new Error(`no space before the value in ${JSON.stringify(line)}`);
  const [valueText = '', ...rest] = line.slice(at + 1).split(' ');
  const value = parseValue(valueText);
  return { name, labels, value, rest: rest.join(' ').trim() };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value ${JSON.stringify(text)}`);
  return value;
}

/** A sample as one comparable string: name, sorted labels, value. */
export function sampleKey(sample: ParsedSample): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${sample.name}${JSON.stringify(labels)} ${sample.value}`;
}
