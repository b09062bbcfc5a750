import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLUSTER_BOUNDARIES, CLUSTER_CASES, type ClusterCase } from './cluster-data.js';
import type { ClusterLibrary, IntervalCost } from './cluster-process.js';
import { isEntryPoint, median } from './harness.js';

/** Intervals measured per case and library, alternating which library goes first. */
const ROUNDS = 9;
/** opmeter's IPC bytes per interval may be at most this share of prom-client's per scrape. */
export const CLUSTER_BYTES_TARGET = 0.1;

/** The figures of one library in one case: every round's cost, and opmeter's first interval. */
export interface ClusterResult {
  spec: ClusterCase;
  library: ClusterLibrary;
  /** The first interval after the worker started (opmeter: series descriptions included). */
  first: IntervalCost;
  rounds: IntervalCost[];
}

/** A primary process of one library (node:cluster with one worker), driven over IPC. */
class PrimaryProcess {
  readonly #child: ChildProcess;

  constructor(readonly library: ClusterLibrary) {
    const entry = fileURLToPath(new URL('./cluster-process.js', import.meta.url));
    this.#child = fork(entry, [library], { stdio: 'inherit' });
  }

  /** Sends `command` and waits for the primary's result. */
  request(command: object): Promise<IntervalCost | undefined> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { type?: string; cost?: IntervalCost }) => {
        if (message?.type !== 'bench.result') return;
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        resolve(message.cost);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`cluster bench: the ${this.library} primary exited (${code})`));
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      this.#child.send(command);
    });
  }

  /** Stops the worker and the primary. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.send({ cmd: 'stop' });
    await exited;
  }
}

async function interval(primary: PrimaryProcess, n: number): Promise<IntervalCost> {
  const cost = await primary.request({ cmd: 'interval', n });
  if (cost === undefined) throw new Error(`cluster bench: no cost from ${primary.library}`);
  return cost;
}

/**
 * Every case with both libraries: a real node:cluster per library (a primary process and one
 * worker), the same series and measurements on both sides, intervals alternating between them.
 */
export async function run(): Promise<ClusterResult[]> {
  const primaries = [new PrimaryProcess('opmeter'), new PrimaryProcess('prom-client')];
  const results: ClusterResult[] = [];
  try {
    for (const [index, spec] of CLUSTER_CASES.entries()) {
      const byLibrary = new Map<ClusterLibrary, ClusterResult>();
      for (const primary of primaries) {
        await primary.request({ cmd: 'case', index });
        const first = await interval(primary, 0);
        byLibrary.set(primary.library, { spec, library: primary.library, first, rounds: [] });
      }
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 0 ? primaries : [...primaries].reverse();
        for (const primary of order) {
          (globalThis as { gc?: () => void }).gc?.();
          byLibrary.get(primary.library)?.rounds.push(await interval(primary, round));
        }
      }
      results.push(...byLibrary.values());
    }
  } finally {
    await Promise.all(primaries.map((primary) => primary.stop()));
  }
  return results;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

function ms(us: number): string {
  const value = us / 1000;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** `median (min–max)` of one figure over the rounds. */
function spread(
  rounds: readonly IntervalCost[],
  pick: (cost: IntervalCost) => number,
  show: (n: number) => string,
): string {
  const values = rounds.map(pick);
  return `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;
}

/** Renders the results as the Markdown section of BENCHMARKS.md. */
export function clusterTable(results: readonly ClusterResult[]): string {
  const lines = [
    `10,000 series per case, one worker; histograms with the workflow domain's ${CLUSTER_BOUNDARIES.length} default boundaries, label sets shaped like the workflow domain's (histograms) and the event domain's (counters).`,
    `Each library runs in a real node:cluster of its own (a primary process and one worker); ${ROUNDS} intervals per case after the first, alternating which library goes first; medians with (min–max) over the intervals.`,
    'opmeter: bytes are the JSON length of the delta reports `ClusterWorkerReader.report()` sent; worker CPU is that call (collect, encode, serialise); primary CPU runs from asking the worker to report until the report is merged (IPC decode and merge).',
    'prom-client: bytes are the JSON length of the reply its worker sends to `AggregatorRegistry.clusterMetrics()` (the `getMetricsAsJSON()` of its registry); worker CPU from the request to the reply sent; primary CPU is `clusterMetrics()` (IPC decode, aggregate and render the text body), with `aggregate()` alone in brackets.',
    '',
    '| series | changing per interval | library | IPC bytes per interval | messages | worker CPU ms | primary CPU ms | bytes vs prom-client | target |',
    '|---|---:|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const spec of CLUSTER_CASES) {
    const of = (library: ClusterLibrary) =>
      results.find((r) => r.spec === spec && r.library === library);
    const peer = of('prom-client');
    const peerBytes = median(peer?.rounds.map((c) => c.bytes) ?? [0]);
    const label = `${spec.series.toLocaleString('en')} ${spec.family === 'histogram' ? 'histograms' : 'counters'}`;
    const changing = `${Math.round(spec.changing * 100)}%`;
    const mine = of('opmeter');
    if (mine !== undefined && spec.changing === 1) {
      lines.push(
        `| ${label} | first interval | opmeter | ${kib(mine.first.bytes)} | ${mine.first.messages} | ${ms(mine.first.workerCpuUs)} | ${ms(mine.first.primaryCpuUs)} | ${(mine.first.bytes / peerBytes).toFixed(3)}× | — |`,
      );
    }
    for (const result of [mine, peer]) {
      if (result === undefined) continue;
      const bytes = median(result.rounds.map((c) => c.bytes));
      const ratio = bytes / peerBytes;
      const primary = spread(result.rounds, (c) => c.primaryCpuUs, ms);
      const aggregate =
        result.library === 'prom-client'
          ? ` [${ms(median(result.rounds.map((c) => c.aggregateCpuUs ?? 0)))}]`
          : '';
      const verdict =
        result.library === 'opmeter'
          ? `≤ ${CLUSTER_BYTES_TARGET}× ${ratio <= CLUSTER_BYTES_TARGET ? 'met' : 'MISSED'}`
          : '—';
      lines.push(
        `| ${label} | ${changing} | ${result.library} | ${spread(result.rounds, (c) => c.bytes, kib)} | ${median(result.rounds.map((c) => c.messages))} | ${spread(result.rounds, (c) => c.workerCpuUs, ms)} | ${primary}${aggregate} | ${result.library === 'opmeter' ? `${ratio.toFixed(3)}×` : '—'} | ${verdict} |`,
      );
    }
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) console.log(clusterTable(await run()));
