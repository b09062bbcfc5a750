import { EVENT_DURATION_BUCKETS } from '../instrumentations/event/index.js';
import { HTTP_SEMCONV_BUCKETS } from '../src/core/buckets.js';
import { PEERS } from './peers.js';
import type { CaseResult, SubjectResult } from './scrape.bench.js';
import {
  OPMETER_HTTP,
  OPMETER_NO_SCOPE,
  OPMETER_SCRAPE,
  type ScrapeCase,
} from './scrape-subjects.js';

const PROM_CLIENT = 'prom-client';
const STALL_LIMIT_MS = 20;
const GZIP_LIMIT = 0.15;

type Verdict = 'met' | 'MISSED' | 'n/a';

/** One target of issue 8, checked against this run. */
export interface TargetCheck {
  promise: string;
  /** Short form for the row it applies to. */
  short: string;
  measured: string;
  verdict: Verdict;
  /** The case and exporter rows the target is read from. */
  scrapeCase: ScrapeCase;
  subjects: readonly string[];
}

function sameCase(a: ScrapeCase, b: ScrapeCase): boolean {
  return a.family === b.family && a.series === b.series && a.buckets === b.buckets;
}

function subjectOf(
  results: readonly CaseResult[],
  scrapeCase: ScrapeCase,
  name: string,
): SubjectResult | undefined {
  const found = results.find((result) => sameCase(result.scrapeCase, scrapeCase));
  return found?.subjects.find((subject) => subject.name === name);
}

function verdictOf(value: number | undefined, limit: number): Verdict {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value <= limit ? 'met' : 'MISSED';
}

function times(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)}×`;
}

function histograms(series: number, buckets: 'same 14' | 'defaults'): ScrapeCase {
  return { family: 'histogram', series, buckets };
}

function caseName(scrapeCase: ScrapeCase): string {
  const series = `${scrapeCase.series / 1000}k`;
  return scrapeCase.family === 'counter'
    ? `${series} counters`
    : `${series} histograms, ${scrapeCase.buckets}`;
}

/** opmeter's time or body (read from `subject`'s row) against prom-client's in one case. */
function ratioCheck(
  results: readonly CaseResult[],
  scrapeCase: ScrapeCase,
  what: 'time' | 'body',
  limit: number,
  subject = OPMETER_SCRAPE,
): TargetCheck {
  const opmeter = subjectOf(results, scrapeCase, subject);
  const ratio = what === 'time' ? opmeter?.timeRatio[PROM_CLIENT] : opmeter?.bodyRatio[PROM_CLIENT];
  const note = subject === OPMETER_NO_SCOPE ? ' (scope labels off)' : '';
  const bare = subjectOf(results, scrapeCase, OPMETER_NO_SCOPE)?.bodyRatio[PROM_CLIENT];
  const aside =
    what === 'body' && subject !== OPMETER_NO_SCOPE ? ` (scope labels off: ${times(bare)})` : '';
  return {
    promise: `${caseName(scrapeCase)}: ${what === 'time' ? 'scrape' : 'body'}${note} ≤ ${limit.toFixed(1)}× prom-client's`,
    short: `${what} ≤ ${limit.toFixed(1)}×`,
    measured: `${times(ratio)}${aside}`,
    verdict: verdictOf(ratio, limit),
    scrapeCase,
    subjects: [subject],
  };
}

/**
 * The longest stall of a typical scrape: the median over rounds of each scrape's longest stall
 * (the maximum over rounds also counts the machine descheduling the process), on both paths.
 */
function stallCheck(results: readonly CaseResult[], scrapeCase: ScrapeCase): TargetCheck {
  const paths = [OPMETER_SCRAPE, OPMETER_HTTP].map((name) => subjectOf(results, scrapeCase, name));
  const medians = paths.map((subject) => subject?.stallMedianMs ?? Number.NaN);
  return {
    promise: `${caseName(scrapeCase)}: longest event-loop stall ≤ ${STALL_LIMIT_MS} ms (median over rounds)`,
    short: `stall ≤ ${STALL_LIMIT_MS} ms`,
    measured: paths
      .map((s) => (s ? `${s.name}: ${ms(s.stallMedianMs)} ms (max ${ms(s.stallMaxMs)})` : 'n/a'))
      .join(', '),
    verdict: verdictOf(Math.max(...medians), STALL_LIMIT_MS),
    scrapeCase,
    subjects: [OPMETER_SCRAPE, OPMETER_HTTP],
  };
}

function gzipCheck(results: readonly CaseResult[], scrapeCase: ScrapeCase): TargetCheck {
  const size = subjectOf(results, scrapeCase, OPMETER_HTTP)?.size;
  const share = size?.gzipBytes === undefined ? undefined : size.gzipBytes / size.plainBytes;
  const missing = size === undefined ? 'n/a: not measured' : 'n/a: no gzip served';
  return {
    promise: `${caseName(scrapeCase)}: gzip body ≤ ${GZIP_LIMIT * 100}% of the plain one`,
    short: `gzip ≤ ${GZIP_LIMIT * 100}%`,
    measured: share === undefined ? missing : `${(share * 100).toFixed(1)}%`,
    verdict: verdictOf(share, GZIP_LIMIT),
    scrapeCase,
    subjects: [OPMETER_HTTP],
  };
}

/** The targets of issue 8, each read from this run's figures. */
export function targetChecks(results: readonly CaseResult[]): TargetCheck[] {
  const same10k = histograms(10_000, 'same 14');
  const defaults = [histograms(1_000, 'defaults'), histograms(10_000, 'defaults')];
  const counters: ScrapeCase = { family: 'counter', series: 10_000, buckets: undefined };
  return [
    ratioCheck(results, same10k, 'time', 0.5),
    ratioCheck(results, same10k, 'body', 1.1, OPMETER_NO_SCOPE),
    ...defaults.flatMap((c) => [
      ratioCheck(results, c, 'time', 1.0),
      ratioCheck(results, c, 'body', 1.5),
    ]),
    stallCheck(results, same10k),
    stallCheck(results, histograms(10_000, 'defaults')),
    gzipCheck(results, same10k),
    gzipCheck(results, histograms(10_000, 'defaults')),
    ratioCheck(results, counters, 'time', 0.5),
  ];
}

function bytes(count: number | undefined): string {
  if (count === undefined) return '—';
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(0)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

function gzipCell(subject: SubjectResult): string {
  const size = subject.size;
  if (subject.name !== OPMETER_HTTP) return '—';
  if (size?.gzipBytes === undefined) return 'n/a (not served)';
  return `${bytes(size.gzipBytes)} (${((size.gzipBytes / size.plainBytes) * 100).toFixed(1)}%)`;
}

function row(result: CaseResult, subject: SubjectResult, checks: readonly TargetCheck[]): string {
  const verdicts = checks
    .filter((c) => sameCase(c.scrapeCase, result.scrapeCase) && c.subjects.includes(subject.name))
    .map((c) => `${c.short}: ${c.verdict}`)
    .join('; ');
  const ratios = PEERS.map((peer) => times(subject.timeRatio[peer.name]).replace('n/a', '—'));
  const cells =
    subject.error !== undefined
      ? [`failed: ${subject.error}`, ...new Array<string>(6 + PEERS.length).fill('')]
      : [
          `${ms(subject.medianMs)} ms`,
          `${ms(subject.minMs)}–${ms(subject.maxMs)}`,
          ...ratios,
          bytes(subject.size?.plainBytes),
          gzipCell(subject),
          subject.size?.format ?? '',
          `${ms(subject.stallMedianMs)} (${ms(subject.stallMaxMs)}) ms`,
          verdicts,
        ];
  return `| ${caseName(result.scrapeCase)} | ${subject.name} | ${cells.join(' | ')} |`;
}

/** Renders the scrape figures and the targets as Markdown, ready for BENCHMARKS.md. */
export function scrapeTable(results: readonly CaseResult[]): string {
  const checks = targetChecks(results);
  const rounds = results.map((r) => `${caseName(r.scrapeCase)}: ${r.rounds}`).join(', ');
  const lines = [
    `Rounds per case: ${rounds}. Each round scrapes every exporter once, in an order rotated every round, after a forced GC; median and min–max over rounds; ratios are medians of the per-round ratios.`,
    `Buckets: "same 14" = the OTel HTTP semconv set (${HTTP_SEMCONV_BUCKETS.join(', ')}) on every side; "defaults" = opmeter's event default (${EVENT_DURATION_BUCKETS.length} boundaries), the peers' default (11).`,
    'Stall: the longest stretch in which the event loop did not turn during one scrape (a 1 ms ticker), median (max) over rounds.',
    '',
    `| case | exporter | median scrape | min–max ms | ${PEERS.map((p) => `× ${p.name}`).join(' | ')} | body | gzip | served as | longest stall | targets |`,
    `|---|---|---:|---:|${PEERS.map(() => '---:|').join('')}---:|---:|---|---:|---|`,
  ];
  for (const result of results) {
    for (const subject of result.subjects) lines.push(row(result, subject, checks));
  }
  lines.push('', '| target (issue 8) | measured | verdict |', '|---|---|---|');
  for (const c of checks) lines.push(`| ${c.promise} | ${c.measured} | ${c.verdict} |`);
  return lines.join('\n');
}
