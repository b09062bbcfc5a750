import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * valgrind's options for counting a node process's instructions: callgrind without cache
 * simulation, writing the counts so far into `directory` each time the process reads its CPU
 * usage (`process.cpuUsage()` calls `uv_getrusage`), so that a process marks the stretches it
 * wants counted.
 */
export function callgrindArgs(directory: string): string[] {
  return [
    '--tool=callgrind',
    '--dump-before=uv_getrusage',
    `--callgrind-out-file=${join(directory, 'callgrind.out')}`,
  ];
}

/** The instructions of the stretch that dump `number` (1 for the first mark) closed. */
export async function dumpTotal(directory: string, number: number): Promise<number> {
  const dump = await readFile(join(directory, `callgrind.out.${number}`), 'utf8');
  const totals = /^totals: (\d+)/m.exec(dump)?.[1];
  if (totals === undefined)
    throw new Error(`callgrind dump ${number} in ${directory} has no totals`);
  return Number(totals);
}

/** The number of the newest dump in `directory` (0 when there is none). */
export async function newestDump(directory: string): Promise<number> {
  const numbers = (await readdir(directory)).map((name) => Number(/\.(\d+)$/.exec(name)?.[1]));
  return Math.max(0, ...numbers.filter(Number.isInteger));
}

/**
 * Runs `node script ...args` under callgrind to its end, writing its dumps into `directory`. Node
 * runs with `--single-threaded`: V8 compiles and collects on the main thread instead of on helper
 * threads, whose share of the work depends on scheduling. Three runs of one operation workload
 * moved by 9% without the flag and by 0.3% with it; callgrind counts every thread either way.
 * (A server under load is not counted this way: there, a full collection done at once on the main
 * thread lands in one stretch or the next, which moved its stretches by ±30%.)
 */
export function runUnderCallgrind(
  directory: string,
  script: string,
  args: readonly string[],
): Promise<void> {
  const node = [process.execPath, '--single-threaded', script, ...args];
  const command = [...callgrindArgs(directory), ...node];
  return new Promise((resolve, reject) => {
    execFile('valgrind', command, { maxBuffer: 16 * 1024 * 1024 }, (error) =>
      error === null ? resolve() : reject(error),
    );
  });
}
