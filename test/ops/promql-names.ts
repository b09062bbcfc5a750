/** Metric and label names a PromQL expression refers to. */
export interface PromqlNames {
  metrics: Set<string>;
  labels: Set<string>;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const MATCHERS = /\{([^}]*)\}/g;
const MATCHER_LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/;
const IDENTIFIER = /(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g;

/**
 * Extracts the metric names (selectors) and label names (matchers, `by`/`without`/`on`/`ignoring`
 * lists) of `expr`. String literals, range and subquery brackets (with Grafana's `$__…` variables)
 * and function calls are skipped. A lexical scan, good enough for the expressions opmeter ships.
 */
export function promqlNames(expr: string): PromqlNames {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\[[^\]]*\]/g, ' ');
  rest = rest.replace(MATCHERS, (_, body: string) => {
    for (const part of body.split(',')) {
      const label = MATCHER_LABEL.exec(part)?.[1];
      if (label !== undefined) labels.add(label);
    }
    return ' ';
  });
  rest = rest.replace(GROUPING, (_, list: string) => {
    for (const label of list.split(',')) if (label.trim() !== '') labels.add(label.trim());
    return ' ';
  });
  for (const match of rest.matchAll(IDENTIFIER)) {
    const [, name, call] = match;
    if (name !== undefined && call === undefined && !KEYWORDS.has(name.toLowerCase())) {
      metrics.add(name);
    }
  }
  return { metrics, labels };
}

/** Splits a Grafana `label_values(selector, label)` query into its selector and label. */
export function parseLabelValues(query: string): { selector: string; label: string } | undefined {
  const match = /^\s*label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { selector: match[1], label: match[2] };
}
