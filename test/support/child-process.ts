import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A Node.js child process running an ES module script, with its stdout read line by line. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line that starts with `prefix`; rejects if it exits first. */
  line(prefix: string): Promise<string>;
  /** Resolves with the exit code and signal, and when it came (`Date.now()`). */
  readonly exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

/** Runs `script` (ES module source) with `node -e` in `cwd`, stderr inherited, `env` over this process's. */
export function startChild(script: string, cwd: string, env: Record<string, string> = {}): Child {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  const waiters: Array<() => void> = [];
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    output += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as string | null,
    at: Date.now(),
  }));
  return {
    process: child,
    exited,
    async line(prefix) {
      for (;;) {
        const found = output.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) return found;
        const more = new Promise<void>((resolve) => waiters.push(resolve));
        const outcome = await Promise.race([more.then(() => 'data'), exited.then(() => 'exit')]);
        if (outcome === 'exit' && !output.includes(prefix)) {
          throw new Error(`child exited before printing '${prefix}': ${output}`);
        }
      }
    },
  };
}

/** The child's exit, or `undefined` (after a SIGKILL) when it has not exited within `ms`. */
export async function exitWithin(
  child: Child,
  ms: number,
): Promise<Awaited<Child['exited']> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    child.exited,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]);
  clearTimeout(timer);
  if (!exit) child.process.kill('SIGKILL');
  return exit;
}
