import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startAllWorkloads } from '../examples/demo/workloads/all.js';
import type { Workload } from '../examples/demo/workloads/workload.js';
import { RuntimeInstrumentation } from '../instrumentations/runtime/index.js';
import type { DefMetricRow, RowSink } from '../src/core/row-sink.js';
import { createDefMetricWriter } from '../src/def-metric/index.js';
import { startMetrics } from '../src/sdk/index.js';
import { SessionStats } from '../src/stats/session-stats.js';
import {
  mariadbAnswers,
  type OutageFault,
  openSoakDatabase,
  type SoakDatabaseKind,
} from './soak-database.js';
import { startScrapers } from './soak-scrapes.js';

const USAGE = `Usage: node --expose-gc dist/bench/soak.js [options]

Runs every domain's workload, concurrent scrapes (text and OpenMetrics, plain and gzip) and the
def_metric writer (spill buffer on) for --duration seconds, with a database outage in the middle;
prints memory, event-loop delay, rows and scrapes every --every seconds, then checks the invariants
and exits 1 when one is broken.

  --duration <s>         length of the run (default 300)
  --outage <s>           length of the outage, which starts at 40% of the run (default a fifth of it)
  --every <s>            report interval (default: a twentieth of the run, 5 to 30)
  --copies <n>           instances of each domain's workload (default 4)
  --scrapers <n>         concurrent scrapers (default 4)
  --db <kind>            auto (MariaDB on 127.0.0.1:3306 if it answers, else SQLite), mariadb, sqlite
  --fault <kind>         the MariaDB outage: refuse (default), blackhole, reset
  --max-heap-growth <MB> heap growth allowed from the end of the warm-up to the end (default 64)
  --max-delay-p99 <ms>   event-loop delay p99 allowed in any interval (default 500)
  --max-stall <ms>       longest the event loop may be blocked at once (default 1000)`;

interface Options {
  durationS: number;
  outageS: number;
  everyS: number;
  copies: number;
  scrapers: number;
  db: 'auto' | SoakDatabaseKind;
  fault: OutageFault;
  maxHeapGrowthMB: number;
  maxDelayP99Ms: number;
  maxStallMs: number;
}

/** One report line's figures. */
interface Sample {
  t: number;
  phase: string;
  rssMB: number;
  heapMB: number;
  /** Memory outside the JS heap: buffers, and what native code (SQLite, zlib) reports to V8. */
  externalMB: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Longest the soak's own 250 ms tick came late in the interval: a blocked event loop. */
  stallMs: number;
  operations: number;
  enqueued: number;
  written: number;
  dropped: number;
  rejected: number;
  waiting: number;
  journaled: number;
  scrapesOk: number;
  scrapesRejected: number;
  scrapesFailed: number;
}

const MB = 1024 * 1024;
const CLOSE_DEADLINE_MS = 10_000;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      outage: { type: 'string' },
      every: { type: 'string' },
      copies: { type: 'string' },
      scrapers: { type: 'string' },
      db: { type: 'string' },
      fault: { type: 'string' },
      'max-heap-growth': { type: 'string' },
      'max-delay-p99': { type: 'string' },
      'max-stall': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (text: string | undefined, fallback: number, flag: string): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!(value > 0)) throw new Error(`--${flag} needs a number > 0, got '${text}'`);
    return value;
  };
  const durationS = positive(values.duration, 300, 'duration');
  const db = values.db ?? 'auto';
  const fault = values.fault ?? 'refuse';
  if (db !== 'auto' && db !== 'mariadb' && db !== 'sqlite') {
    throw new Error(`--db must be auto, mariadb or sqlite, got '${db}'`);
  }
  if (fault !== 'refuse' && fault !== 'blackhole' && fault !== 'reset') {
    throw new Error(`--fault must be refuse, blackhole or reset, got '${fault}'`);
  }
  return {
    durationS,
    outageS: positive(values.outage, durationS / 5, 'outage'),
    everyS: positive(values.every, Math.min(30, Math.max(5, durationS / 20)), 'every'),
    copies: Math.round(positive(values.copies, 4, 'copies')),
    scrapers: Math.round(positive(values.scrapers, 4, 'scrapers')),
    db,
    fault,
    maxHeapGrowthMB: positive(values['max-heap-growth'], 64, 'max-heap-growth'),
    maxDelayP99Ms: positive(values['max-delay-p99'], 500, 'max-delay-p99'),
    maxStallMs: positive(values['max-stall'], 1000, 'max-stall'),
  };
}

/** Counts every row the instrumentations hand to the writer. */
class CountingSink implements RowSink {
  enqueued = 0;
  constructor(private readonly target: RowSink) {}
  enqueue(table: string, row: DefMetricRow): void {
    this.enqueued += 1;
    this.target.enqueue(table, row);
  }
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / MB;
}

async function soak(options: Options): Promise<boolean> {
  const kind: SoakDatabaseKind =
    options.db === 'auto' ? ((await mariadbAnswers()) ? 'mariadb' : 'sqlite') : options.db;
  const database = await openSoakDatabase(kind, options.fault);
  const stats = new SessionStats();
  const metrics = await startMetrics({
    serviceName: 'opmeter-soak',
    registerGlobal: false,
    env: {},
    prometheus: { mode: 'handler' },
  });
  const writer = createDefMetricWriter({
    url: database.url,
    meterProvider: metrics.meterProvider,
    retention: false,
    spill: { path: database.spillPath },
    onWarning: (message) => console.log(`  warning: ${message}`),
  });
  const rows = new CountingSink(writer);
  const wiring = { meterProvider: metrics.meterProvider, stats, rows };
  const workloads: Workload[] = [];
  for (let copy = 0; copy < options.copies; copy++) {
    workloads.push(...(await startAllWorkloads(wiring)));
  }
  const runtime = new RuntimeInstrumentation(wiring);
  const prometheus = metrics.prometheus;
  if (prometheus === undefined) throw new Error('the Prometheus handler is missing');
  // Scrapes are checked for a workflow histogram: start them once the first workflow has ended.
  const expected = 'workflow_duration_seconds';
  for (let i = 0; i < 100 && !(await prometheus.scrape()).includes(expected); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const scrapers = await startScrapers(prometheus.requestHandler, options.scrapers, 100, expected);

  const outageStartS = options.durationS * 0.4;
  const outageEndS = outageStartS + options.outageS;
  const warmupS = Math.min(10, options.durationS * 0.1);
  console.log(
    `opmeter soak: ${options.durationS} s, ${options.copies} copies of every domain, ` +
      `${options.scrapers} scrapers, ${database.kind} with the spill buffer; outage ` +
      `${outageStartS.toFixed(0)}–${outageEndS.toFixed(0)} s: ${database.outage}` +
      `${gc ? '' : ' (run with --expose-gc for heap figures after a collection)'}`,
  );
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const samples: Sample[] = [];
  let warmHeapMB: number | undefined;
  let outage: 'before' | 'on' | 'over' = 'before';
  let stallMs = 0;
  const sample = (phase: string): Sample => {
    const writerStats = writer.stats();
    const s: Sample = {
      t: Math.round((performance.now() - started) / 1000),
      phase,
      rssMB: Math.round(process.memoryUsage().rss / MB),
      heapMB: Math.round(heapMB()),
      externalMB: Math.round(process.memoryUsage().external / MB),
      delayP50Ms: Math.round(delay.percentile(50) / 1e6),
      delayP99Ms: Math.round(delay.percentile(99) / 1e6),
      delayMaxMs: Math.round(delay.max / 1e6),
      stallMs: Math.round(stallMs),
      operations: stats.snapshot().totals.operations,
      enqueued: rows.enqueued,
      written: writerStats.written,
      dropped: writerStats.dropped,
      rejected: writerStats.rejected,
      waiting: writerStats.waiting,
      journaled: writerStats.journaled,
      scrapesOk: scrapers.tally.ok,
      scrapesRejected: scrapers.tally.rejected,
      scrapesFailed: scrapers.tally.failed,
    };
    delay.reset();
    stallMs = 0;
    samples.push(s);
    console.log(
      `${String(s.t).padStart(5)} s ${phase.padEnd(8)} rss ${s.rssMB} MB heap ${s.heapMB} MB external ${s.externalMB} MB | ` +
        `loop p50 ${s.delayP50Ms} p99 ${s.delayP99Ms} max ${s.delayMaxMs} stall ${s.stallMs} ms | ` +
        `ops ${s.operations} | ` +
        `rows enq ${s.enqueued} written ${s.written} dropped ${s.dropped} rejected ${s.rejected} ` +
        `waiting ${s.waiting} (journal ${s.journaled}) | scrapes ${s.scrapesOk} ok ` +
        `${s.scrapesRejected} rejected ${s.scrapesFailed} failed`,
    );
    return s;
  };

  let nextReport = options.everyS;
  for (;;) {
    const tick = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
    stallMs = Math.max(stallMs, performance.now() - tick - 250);
    const elapsed = (performance.now() - started) / 1000;
    if (outage === 'before' && elapsed >= outageStartS) {
      await database.startOutage();
      outage = 'on';
      sample('outage+');
    } else if (outage === 'on' && elapsed >= outageEndS) {
      await database.endOutage();
      outage = 'over';
      sample('outage-');
    }
    if (warmHeapMB === undefined && elapsed >= warmupS) warmHeapMB = sample('warm').heapMB;
    if (elapsed >= options.durationS) break;
    if (elapsed >= nextReport && elapsed - (samples.at(-1)?.t ?? 0) >= 1) {
      sample(outage === 'on' ? 'outage' : outage === 'over' ? 'recovery' : 'steady');
      nextReport += options.everyS;
    }
  }
  const last = sample('end');

  await Promise.all(workloads.map((w) => w.stop()));
  await scrapers.stop();
  runtime.disable();
  const closeStarted = performance.now();
  const closed = await Promise.allSettled([
    writer.close({ deadlineMs: CLOSE_DEADLINE_MS }),
    metrics.shutdown({ deadlineMs: 5_000 }),
  ]);
  const closeMs = Math.round(performance.now() - closeStarted);
  delay.disable();
  const final = writer.stats();
  await database.dispose();

  const outageEnd = samples.find((s) => s.phase === 'outage-');
  const afterWarm = samples.filter((s) => s.t >= warmupS && s.phase !== 'end');
  const opsGrew = afterWarm.every(
    (s, i) => i === 0 || s.operations > (afterWarm[i - 1]?.operations ?? 0),
  );
  const worstP99 = Math.max(...afterWarm.map((s) => s.delayP99Ms));
  const worstStall = Math.max(...samples.map((s) => s.stallMs));
  const invariants: [string, boolean][] = [
    [
      `rows enqueued (${rows.enqueued}) = written ${final.written} + dropped ${final.dropped} + rejected ${final.rejected} + waiting ${final.waiting} (journaled ${final.journaled})`,
      rows.enqueued === final.written + final.dropped + final.rejected + final.waiting,
    ],
    [`no row dropped through the outage (spill buffer on): ${final.dropped}`, final.dropped === 0],
    [
      `writing resumed after the outage: ${outageEnd?.written ?? 0} written when it ended, ${last.written} at the end`,
      outageEnd !== undefined && last.written > outageEnd.written,
    ],
    [`every row written after close (nothing left waiting): ${final.waiting}`, final.waiting === 0],
    [
      `heap growth from warm-up (${warmHeapMB} MB) to the end (${last.heapMB} MB) <= ${options.maxHeapGrowthMB} MB`,
      last.heapMB - (warmHeapMB ?? last.heapMB) <= options.maxHeapGrowthMB,
    ],
    [
      `event-loop delay p99 <= ${options.maxDelayP99Ms} ms in every interval: worst ${worstP99} ms`,
      worstP99 <= options.maxDelayP99Ms,
    ],
    [
      `event loop never blocked longer than ${options.maxStallMs} ms: longest ${worstStall} ms`,
      worstStall <= options.maxStallMs,
    ],
    [`operations recorded in every interval`, opsGrew],
    [
      `scrapes: ${scrapers.tally.ok} ok (${JSON.stringify(scrapers.tally.byVariant)}), ${scrapers.tally.rejected} rejected, ${scrapers.tally.failed} failed ${scrapers.tally.failures.join('; ')} (longest ${Math.round(scrapers.tally.maxMs)} ms)`,
      scrapers.tally.failed === 0 && Object.keys(scrapers.tally.byVariant).length === 4,
    ],
    [
      `writer close and metrics shutdown within their deadlines: ${closeMs} ms ${closed.map((c) => c.status).join(', ')}`,
      closed.every((c) => c.status === 'fulfilled') && closeMs <= CLOSE_DEADLINE_MS + 500,
    ],
  ];
  console.log('invariants:');
  for (const [text, holds] of invariants) console.log(`  ${holds ? 'ok  ' : 'FAIL'} ${text}`);
  const passed = invariants.every(([, holds]) => holds);
  console.log(
    `soak-result ${JSON.stringify({ passed, database: database.kind, outage: database.outage, options, samples, final, scrapes: scrapers.tally, closeMs })}`,
  );
  return passed;
}

/** `npm run soak`: the soak run, exit code 0 when every invariant held, 1 otherwise. */
async function main(): Promise<void> {
  const passed = await soak(parseOptions(process.argv.slice(2)));
  process.exitCode = passed ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(`opmeter soak: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
