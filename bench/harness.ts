import { Bench } from 'tinybench';

/** Operations each benchmark task performs per timed iteration (amortises timer overhead). */
export const OPS_PER_ITERATION = 1000;

/** A named task doing {@link OPS_PER_ITERATION} operations per call. */
export type Task = readonly [label: string, fn: () => void];

/** The outcome of comparing a candidate with a baseline measured in the same run. */
export interface Comparison {
  name: string;
  baseline: string;
  candidate: string;
  baselineNsPerOp: number;
  candidateNsPerOp: number;
  /** Median over rounds of candidate time / baseline time. */
  ratio: number;
  /** The ratio the project promises not to exceed, when there is one. */
  target?: number | undefined;
}

/** Options of {@link compare}. */
export interface CompareOptions {
  rounds?: number;
  millisPerTask?: number;
}

/**
 * Measures `baseline` and `candidate` alternately for several rounds (so drift and noise hit
 * both alike) and reports the median of the per-round time ratios.
 */
export async function compare(
  name: string,
  baseline: Task,
  candidate: Task,
  target?: number,
  options: CompareOptions = {},
): Promise<Comparison> {
  const rounds = options.rounds ?? 11;
  const ratios: number[] = [];
  const baseTimes: number[] = [];
  const candidateTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [baseline, candidate] : [candidate, baseline];
    // start every round from a clean heap, so one side's garbage is not collected on the other's time
    (globalThis as { gc?: () => void }).gc?.();
    const bench = new Bench({ time: options.millisPerTask ?? 250, warmupTime: 50 });
    for (const [label, fn] of order) bench.add(label, fn);
    await bench.run();
    const nsPerOp = (label: string) => {
      const task = bench.getTask(label);
      const result = task?.result;
      if (result === undefined || !('latency' in result))
        throw new Error(`task ${label} did not complete`);
      return (result.latency.mean * 1e6) / OPS_PER_ITERATION;
    };
    const base = nsPerOp(baseline[0]);
    const cand = nsPerOp(candidate[0]);
    baseTimes.push(base);
    candidateTimes.push(cand);
    ratios.push(cand / base);
  }
  return {
    name,
    baseline: baseline[0],
    candidate: candidate[0],
    baselineNsPerOp: median(baseTimes),
    candidateNsPerOp: median(candidateTimes),
    ratio: median(ratios),
    target,
  };
}

/** Renders comparisons as a Markdown table. */
export function comparisonTable(comparisons: readonly Comparison[]): string {
  const lines = [
    '| comparison | baseline | ns/op | candidate | ns/op | ratio | target |',
    '|---|---|---:|---|---:|---:|---|',
  ];
  for (const c of comparisons) {
    const verdict =
      c.target === undefined
        ? 'for the record'
        : `≤ ${c.target}× ${c.ratio <= c.target ? 'met' : 'MISSED'}`;
    lines.push(
      `| ${c.name} | ${c.baseline} | ${c.baselineNsPerOp.toFixed(0)} | ${c.candidate} | ${c.candidateNsPerOp.toFixed(0)} | ${c.ratio.toFixed(3)}× | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `main` when the module is the process entry point (`node dist/bench/x.bench.js`). */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === new URL(`file://${process.argv[1]}`).href;
}
