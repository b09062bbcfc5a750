import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { isEntryPoint, median } from './harness.js';
import { PEERS } from './peers.js';
import { scrapeTable } from './scrape-report.js';
import {
  buildSubjects,
  type ScrapeBody,
  type ScrapeCase,
  type ScrapeSubject,
} from './scrape-subjects.js';

export { scrapeTable } from './scrape-report.js';

/** Every case, smallest first (the code is warm by the time the big ones run). */
export const CASES: readonly ScrapeCase[] = [
  { family: 'histogram', series: 1_000, buckets: 'same 14' },
  { family: 'histogram', series: 1_000, buckets: 'defaults' },
  { family: 'histogram', series: 10_000, buckets: 'same 14' },
  { family: 'histogram', series: 10_000, buckets: 'defaults' },
  { family: 'counter', series: 10_000, buckets: undefined },
  { family: 'histogram', series: 50_000, buckets: 'same 14' },
  { family: 'histogram', series: 50_000, buckets: 'defaults' },
];

/** Measured time per case: as many rounds as fit, within these bounds. */
export const ROUND_BUDGET_MS = 20_000;
export const MIN_ROUNDS = 3;
export const MAX_ROUNDS = 15;

/** Sizes of one scrape's body, computed after the clock stopped. */
export interface BodySize {
  /** Bytes of the uncompressed body (after gunzip when the response was gzipped). */
  plainBytes: number;
  /** Bytes on the wire when the response was gzipped; `undefined` when it was not. */
  gzipBytes: number | undefined;
  /** The exposition format served: `text 0.0.4` or `OpenMetrics 1.0.0`. */
  format: string;
}

/** One exporter's figures in one case. */
export interface SubjectResult {
  name: string;
  /** Rounds measured (fewer than the case's when the scrape failed). */
  rounds: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Longest event-loop stall during one scrape: median and maximum over rounds. */
  stallMedianMs: number;
  stallMaxMs: number;
  size: BodySize | undefined;
  /** Median over rounds of this scrape's time / the peer's in the same round, by peer name. */
  timeRatio: Record<string, number>;
  /** This body's plain bytes / the peer's, by peer name. */
  bodyRatio: Record<string, number>;
  /** Why the scrape could not be measured, when it failed. */
  error?: string | undefined;
}

/** Every exporter's figures in one case. */
export interface CaseResult {
  scrapeCase: ScrapeCase;
  rounds: number;
  subjects: SubjectResult[];
}

interface Sample {
  ms: number;
  stallMs: number;
  body: ScrapeBody;
}

interface Samples {
  subject: ScrapeSubject;
  /** Per round: the scrape time (`undefined` where it failed or was not run). */
  times: (number | undefined)[];
  stalls: number[];
  last: ScrapeBody | undefined;
  error: string | undefined;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Times one scrape and the longest stretch during it in which the event loop did not turn: a
 * 1 ms ticker notes every turn, and the gaps before the first and after the last turn count too.
 */
async function timedScrape(subject: ScrapeSubject): Promise<Sample> {
  const start = performance.now();
  let last = start;
  let longest = 0;
  const turn = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const ticker = setInterval(turn, 1);
  try {
    const body = await subject.scrape();
    const ms = performance.now() - start;
    turn();
    return { ms, stallMs: longest, body };
  } finally {
    clearInterval(ticker);
  }
}

/** One scrape of `samples`' subject, recorded as `round` (`undefined`: a warm-up, not recorded). */
async function scrapeInto(samples: Samples, round: number | undefined): Promise<void> {
  if (samples.error !== undefined) return;
  gc(); // a clean heap per scrape: no exporter pays for another one's garbage
  try {
    const sample = await timedScrape(samples.subject);
    samples.last = sample.body;
    if (round === undefined) return;
    samples.times[round] = sample.ms;
    samples.stalls.push(sample.stallMs);
  } catch (error) {
    samples.error = error instanceof Error ? error.message : String(error);
  }
}

function sizeOf(scrape: ScrapeBody): BodySize {
  const gzipped = scrape.encoding === 'gzip' && Buffer.isBuffer(scrape.body);
  const plain = gzipped ? gunzipSync(scrape.body) : scrape.body;
  return {
    plainBytes: Buffer.byteLength(plain),
    gzipBytes: gzipped ? scrape.body.length : undefined,
    format: scrape.contentType?.startsWith('application/openmetrics-text')
      ? 'OpenMetrics 1.0.0'
      : 'text 0.0.4',
  };
}

function pairedRatio(mine: Samples, theirs: Samples): number {
  const ratios: number[] = [];
  mine.times.forEach((ms, round) => {
    const base = theirs.times[round];
    if (ms !== undefined && base !== undefined) ratios.push(ms / base);
  });
  return ratios.length > 0 ? median(ratios) : Number.NaN;
}

function summarise(all: readonly Samples[], samples: Samples): SubjectResult {
  const times = samples.times.filter((ms) => ms !== undefined);
  const size = samples.last && sizeOf(samples.last);
  const timeRatio: Record<string, number> = {};
  const bodyRatio: Record<string, number> = {};
  for (const peer of PEERS) {
    const theirs = all.find((other) => other.subject.name === peer.name);
    if (theirs === undefined || theirs === samples) continue;
    timeRatio[peer.name] = pairedRatio(samples, theirs);
    const theirSize = theirs.last && sizeOf(theirs.last);
    if (size && theirSize) bodyRatio[peer.name] = size.plainBytes / theirSize.plainBytes;
  }
  return {
    name: samples.subject.name,
    rounds: times.length,
    medianMs: times.length > 0 ? median(times) : Number.NaN,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    stallMedianMs: samples.stalls.length > 0 ? median(samples.stalls) : Number.NaN,
    stallMaxMs: Math.max(...samples.stalls),
    size,
    timeRatio,
    bodyRatio,
    error: samples.error,
  };
}

/**
 * One case: every registry is built first, then one warm-up scrape each, then rounds in which
 * every exporter scrapes once, in an order rotated each round, as many rounds as
 * {@link ROUND_BUDGET_MS} allows (between {@link MIN_ROUNDS} and {@link MAX_ROUNDS}).
 */
export async function runCase(scrapeCase: ScrapeCase): Promise<CaseResult> {
  const subjects = await buildSubjects(scrapeCase);
  const all: Samples[] = subjects.map((subject) => ({
    subject,
    times: [],
    stalls: [],
    last: undefined,
    error: undefined,
  }));
  try {
    const warmUp = performance.now();
    for (const samples of all) await scrapeInto(samples, undefined);
    const roundMs = performance.now() - warmUp;
    const rounds = Math.min(
      MAX_ROUNDS,
      Math.max(MIN_ROUNDS, Math.floor(ROUND_BUDGET_MS / roundMs)),
    );
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < all.length; k++) {
        const samples = all[(round + k) % all.length];
        if (samples !== undefined) await scrapeInto(samples, round);
      }
    }
    return { scrapeCase, rounds, subjects: all.map((samples) => summarise(all, samples)) };
  } finally {
    for (const subject of subjects) await subject.close();
    gc();
  }
}

/**
 * Scrapes of the event domain's histogram (one label) at 1k, 10k and 50k series, with the same
 * 14 buckets on every side and with each library's defaults, and of 10k counter series: each
 * library's scrape of its own registry, in one process, interleaved.
 */
export async function run(cases: readonly ScrapeCase[] = CASES): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const scrapeCase of cases) results.push(await runCase(scrapeCase));
  return results;
}

if (isEntryPoint(import.meta.url)) console.log(scrapeTable(await run()));
