import { isEntryPoint, OPS_PER_ITERATION, type Task } from './harness.js';
import { OP_SUBJECTS } from './op-subjects.js';

/** Iterations (of `OPS_PER_ITERATION` operations) before the counted stretch: the code is warm. */
const WARMUP_ITERATIONS = 30;
/** Iterations counted. */
const COUNTED_ITERATIONS = 50;

/**
 * Run by `valgrind` for one subject of {@link OP_SUBJECTS}: warms the task up, then marks the
 * counted stretch with two CPU-usage reads (each makes callgrind write its counts so far).
 */
function main(id: string): void {
  const subject = OP_SUBJECTS.find((candidate) => candidate.id === id);
  if (subject === undefined) throw new Error(`unknown operation subject ${id}`);
  const [, run]: Task = subject.task();
  for (let i = 0; i < WARMUP_ITERATIONS; i++) run();
  process.cpuUsage();
  for (let i = 0; i < COUNTED_ITERATIONS; i++) run();
  process.cpuUsage();
}

/** Operations in the counted stretch of one subject. */
export const COUNTED_OPERATIONS = COUNTED_ITERATIONS * OPS_PER_ITERATION;

if (isEntryPoint(import.meta.url)) main(process.argv[2] ?? '');
