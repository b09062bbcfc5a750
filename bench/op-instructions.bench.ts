import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dumpTotal, runUnderCallgrind } from './callgrind.js';
import { isEntryPoint } from './harness.js';
import { COUNTED_OPERATIONS } from './op-instructions-child.js';
import { OP_SUBJECTS, type OpSubject } from './op-subjects.js';

const CHILD = fileURLToPath(new URL('./op-instructions-child.js', import.meta.url));
/** Subjects counted at once (a count does not depend on what else runs). */
const PARALLEL = 2;

/** One subject's instructions per operation. */
export interface OpInstructionResult {
  operation: string;
  recorder: string;
  perOperation: number;
}

/** Instructions per operation of `subject`, counted in a node process of its own under callgrind. */
async function count(subject: OpSubject): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'opmeter-callgrind-'));
  try {
    await runUnderCallgrind(directory, CHILD, [subject.id]);
    // dump 1 closes the warm-up, dump 2 the counted stretch
    return (await dumpTotal(directory, 2)) / COUNTED_OPERATIONS;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The event and workflow operations of the timed suites, counted by valgrind's callgrind instead
 * of timed: instructions per operation for opmeter, the raw OTel calls and both peers.
 */
export async function run(): Promise<OpInstructionResult[]> {
  const results: OpInstructionResult[] = [];
  let next = 0;
  const worker = async () => {
    for (let subject = OP_SUBJECTS[next++]; subject; subject = OP_SUBJECTS[next++]) {
      const { operation, recorder } = subject;
      results.push({ operation, recorder, perOperation: await count(subject) });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const order = (r: OpInstructionResult) =>
    OP_SUBJECTS.findIndex((s) => s.operation === r.operation && s.recorder === r.recorder);
  return results.sort((a, b) => order(a) - order(b));
}

/** Renders the results as a Markdown table, with each recorder's ratio to prom-client and to raw OTel. */
export function opInstructionTable(results: readonly OpInstructionResult[]): string {
  const lines = [
    `Instructions per operation counted by \`valgrind --tool=callgrind\` (the timed suites' own workloads, each in a node process of its own, ${COUNTED_OPERATIONS} operations counted after a warm-up). Counts do not move with the load of a shared machine; they do not see cache misses, which a timed run does.`,
    '',
    '| operation | recorder | instructions/op | × prom-client | × raw OTel |',
    '|---|---|---:|---:|---:|',
  ];
  for (const r of results) {
    const of = (recorder: string) =>
      results.find((o) => o.operation === r.operation && o.recorder === recorder)?.perOperation;
    const ratio = (base: number | undefined) =>
      base === undefined ? '—' : `${(r.perOperation / base).toFixed(2)}×`;
    lines.push(
      `| ${r.operation} | ${r.recorder} | ${Math.round(r.perOperation)} | ${ratio(of('prom-client'))} | ${ratio(of('raw OTel'))} |`,
    );
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) console.log(opInstructionTable(await run()));
