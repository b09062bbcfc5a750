import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { callgrindArgs, dumpTotal, newestDump } from './callgrind.js';
import { CONTRIB_ENV, CONTRIB_VARIANT, registerContrib } from './http-contrib.js';
import type { ServerKind } from './http-servers.js';
import type { HttpVariant } from './http-variants.js';

/** What the parent asks a server process, and what it answers. */
type Request = { kind: 'cpu' };
type Answer = { kind: 'listening'; url: string } | ({ kind: 'cpu' } & CpuMicros);

/** A process's CPU time so far, microseconds: in user space (JavaScript, V8) and in all. */
export interface CpuMicros {
  user: number;
  total: number;
}

/**
 * A server of one kind under one instrumentation, in a child process of its own: every variant
 * is built and served the same way, with its own heap, JIT and timers, and nothing else running in
 * its process (instrumentation-http patches `node:http` for the whole process, which must not
 * touch the others). The parent reads the child's CPU time around each load run.
 */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** The URL to load. */
    readonly url: string,
    /** Where callgrind writes its counts, when the process runs under it. */
    private readonly callgrindDirectory: string | undefined,
  ) {}

  /**
   * Starts the process serving `kind` under `variant` and waits until it listens; with
   * `callgrindDirectory`, node runs under `valgrind --tool=callgrind`, which counts its
   * instructions (see {@link instructionsSinceLastMark}) and writes its files there.
   */
  static async start(
    kind: ServerKind,
    variant: HttpVariant,
    callgrindDirectory?: string,
  ): Promise<ServerProcess> {
    const nodeArgs = ['--disable-warning=ExperimentalWarning'];
    const child = fork(fileURLToPath(import.meta.url), [kind, variant], {
      env: { ...process.env, ...(variant === CONTRIB_VARIANT ? CONTRIB_ENV : {}) },
      ...(callgrindDirectory === undefined
        ? { execArgv: nodeArgs }
        : {
            execPath: 'valgrind',
            execArgv: [...callgrindArgs(callgrindDirectory), process.execPath, ...nodeArgs],
            stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
          }),
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) =>
          reject(new Error(`the ${kind} server process under ${variant} exited (${code})`)),
        );
        child.once('message', (answer: Answer) => {
          if (answer.kind === 'listening') resolve(answer.url);
        });
      });
      child.removeAllListeners('exit');
      return new ServerProcess(child, url, callgrindDirectory);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /**
   * For a process under callgrind: the instructions it executed since the previous call (or since
   * it started), read from the counts callgrind writes when the process reads its CPU usage.
   */
  async instructionsSinceLastMark(): Promise<number> {
    const directory = this.callgrindDirectory;
    if (directory === undefined) throw new Error('the server process is not under callgrind');
    await this.cpuMicros();
    // the newest dump is the one this request made (numbered from 1, one per CPU-usage read)
    return dumpTotal(directory, await newestDump(directory));
  }

  /** The server process's CPU time so far, microseconds. */
  cpuMicros(): Promise<CpuMicros> {
    return new Promise((resolve) => {
      this.child.once('message', (answer: Answer) => {
        if (answer.kind === 'cpu') resolve({ user: answer.user, total: answer.total });
      });
      this.child.send({ kind: 'cpu' } satisfies Request);
    });
  }

  /** Stops the server process and resolves once it has exited (and valgrind written its files). */
  async stopped(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill();
    await exited;
  }
}

/**
 * The child: register the contrib instrumentations first when they are the variant, then load the
 * servers' modules (so every framework is loaded after them) and serve `kind` under `variant` until
 * killed or disconnected from the parent.
 */
async function serve(kind: string, variant: string): Promise<void> {
  const contribCheck = variant === CONTRIB_VARIANT ? registerContrib(kind) : undefined;
  const { PATH, SERVER_KINDS } = await import('./http-servers.js');
  const { HTTP_VARIANTS, variantServer } = await import('./http-variants.js');
  const known = SERVER_KINDS.find((k) => k === kind);
  if (known === undefined) throw new Error(`unknown server kind ${kind}`);
  if (!HTTP_VARIANTS.includes(variant)) throw new Error(`unknown HTTP variant ${variant}`);
  const server = await variantServer(known, variant);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  await contribCheck?.(url);
  process.on('message', (request: Request) => {
    if (request.kind !== 'cpu') return;
    const used = process.cpuUsage();
    process.send?.({
      kind: 'cpu',
      user: used.user,
      total: used.user + used.system,
    } satisfies Answer);
  });
  process.once('disconnect', () => process.exit(0));
  process.send?.({ kind: 'listening', url } satisfies Answer);
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve(process.argv[2] ?? '', process.argv[3] ?? '');
}
