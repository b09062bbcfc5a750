import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { ServerKind } from './http-servers.js';
import { benchMeterProvider } from './support.js';

/** What the parent asks the server process, and what it answers. */
type Request = { kind: 'cpu' };
type Answer = { kind: 'listening'; url: string } | { kind: 'cpu'; micros: number };

/** The table's name for the child's instrumentation, the same for every server kind. */
export const CONTRIB_VARIANT = '@opentelemetry/instrumentation-http (metrics only)';

/** Why the child instruments Express and Fastify with `@opentelemetry/instrumentation-http` alone. */
export const CONTRIB_FRAMEWORK_NOTE =
  "Express 5 and Fastify 5 have no framework instrumentation in their contrib rows: no release of @opentelemetry/instrumentation-express (0.72.0 needs @opentelemetry/instrumentation ^0.300.0) or @fastify/otel (0.21.2 needs ^0.222.0 and @opentelemetry/core ^2) shares the project's @opentelemetry/instrumentation 0.301 and core 3.1, so neither is installed; without one, instrumentation-http records no http.route on any server.";

/**
 * A server of one kind (the same handler and route as the parent's) instrumented by
 * `@opentelemetry/instrumentation-http`, metrics only (its own MeterProvider, no tracer
 * provider), in a child process of its own: the instrumentation patches `node:http` for the
 * whole process, which must not touch the other variants. The parent reads the child's CPU time
 * around each load run.
 */
export class ContribHttpServer {
  private constructor(
    private readonly child: ChildProcess,
    /** The URL to load. */
    readonly url: string,
  ) {}

  /** Starts the server process serving `kind` and waits until it listens. */
  static async start(kind: ServerKind): Promise<ContribHttpServer> {
    const child = fork(fileURLToPath(import.meta.url), [kind], {
      env: { ...process.env, OTEL_SEMCONV_STABILITY_OPT_IN: 'http' },
      execArgv: ['--disable-warning=ExperimentalWarning'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`the ${kind} server process exited (${code})`)),
      );
      child.once('message', (answer: Answer) => {
        if (answer.kind === 'listening') resolve(answer.url);
      });
    });
    child.removeAllListeners('exit');
    return new ContribHttpServer(child, url);
  }

  /** The server process's CPU time so far, microseconds. */
  cpuMicros(): Promise<number> {
    return new Promise((resolve) => {
      this.child.once('message', (answer: Answer) => {
        if (answer.kind === 'cpu') resolve(answer.micros);
      });
      this.child.send({ kind: 'cpu' } satisfies Request);
    });
  }

  /** Stops the server process. */
  stop(): void {
    this.child.kill();
  }
}

/**
 * The child: instrument node:http, then load the servers' module (so every framework is loaded
 * after the instrumentation is registered) and serve `kind` until killed.
 */
async function serve(kind: string): Promise<void> {
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation()],
    meterProvider: benchMeterProvider(),
  });
  createRequire(import.meta.url)('http');
  const { PATH, SERVER_KINDS, uninstrumentedServer } = await import('./http-servers.js');
  const known = SERVER_KINDS.find((k) => k === kind);
  if (known === undefined) throw new Error(`unknown server kind ${kind}`);
  const server = await uninstrumentedServer(known);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  process.on('message', (request: Request) => {
    if (request.kind !== 'cpu') return;
    const used = process.cpuUsage();
    process.send?.({ kind: 'cpu', micros: used.user + used.system } satisfies Answer);
  });
  process.send?.({ kind: 'listening', url } satisfies Answer);
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve(process.argv[2] ?? '');
}
