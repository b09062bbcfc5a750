import { escapeHelp } from './escape.js';
import type { Family } from './family.js';
import { formatCanonicalBound, formatTextBound } from './numbers.js';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0 text. */
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** What differs between the two text formats; sample lines are otherwise the same. */
export interface ExpositionFormat {
  /** `text` (0.0.4) or `openmetrics` (1.0.0). */
  readonly id: 'text' | 'openmetrics';
  readonly contentType: string;
  /** The `# HELP` / `# TYPE` / `# UNIT` lines of a family. */
  header(family: Family): string;
  /** A bucket bound as this format writes the `le` value. */
  bound(bound: number): string;
  /** Whether `_count` is written for a histogram without `_sum` (OpenMetrics forbids it). */
  readonly countWithoutSum: boolean;
  /** The end of the exposition (`# EOF` in OpenMetrics). */
  readonly end: string;
}

/** The Prometheus text format 0.0.4: HELP, UNIT (a comment there), TYPE, named as the samples. */
export const TEXT_FORMAT: ExpositionFormat = {
  id: 'text',
  contentType: PROMETHEUS_CONTENT_TYPE,
  header: (family) => {
    const name = family.sampleName;
    const help = family.help === '' ? '' : `# HELP ${name} ${escapeHelp(family.help, false)}\n`;
    const unit = family.unit === '' ? '' : `# UNIT ${name} ${family.unit}\n`;
    return `${help}${unit}# TYPE ${name} ${family.type}\n`;
  },
  bound: formatTextBound,
  countWithoutSum: true,
  end: '',
};

/**
 * OpenMetrics 1.0.0: TYPE, UNIT, HELP under the family name (a counter's without `_total`),
 * canonical `le` values, and `# EOF`.
 */
export const OPENMETRICS_FORMAT: ExpositionFormat = {
  id: 'openmetrics',
  contentType: OPENMETRICS_CONTENT_TYPE,
  header: (family) => {
    const name = family.openMetricsName;
    const unit = family.unit === '' ? '' : `# UNIT ${name} ${family.unit}\n`;
    const help = family.help === '' ? '' : `# HELP ${name} ${escapeHelp(family.help, true)}\n`;
    return `# TYPE ${name} ${family.type}\n${unit}${help}`;
  },
  bound: formatCanonicalBound,
  countWithoutSum: false,
  end: '# EOF\n',
};
