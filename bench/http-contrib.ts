import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { benchMeterProvider } from './support.js';

/** What the parent asks the server process, and what it answers. */
type Request = { kind: 'cpu' };
type Answer = { kind: 'listening'; url: string } | { kind: 'cpu'; micros: number };

/**
 * A plain `node:http` server instrumented by `@opentelemetry/instrumentation-http`, metrics only
 * (its own MeterProvider, no tracer provider), in a child process of its own: the instrumentation
 * patches `node:http` for the whole process, which must not touch the other variants. The parent
 * reads the child's CPU time around each load run.
 */
export class ContribHttpServer {
  private constructor(
    private readonly child: ChildProcess,
    /** The URL to load. */
    readonly url: string,
  ) {}

  /** Starts the server process and waits until it listens. */
  static async start(path: string): Promise<ContribHttpServer> {
    const child = fork(fileURLToPath(import.meta.url), [path], {
      env: { ...process.env, OTEL_SEMCONV_STABILITY_OPT_IN: 'http' },
      execArgv: ['--disable-warning=ExperimentalWarning'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('message', (answer: Answer) => {
        if (answer.kind === 'listening') resolve(answer.url);
      });
    });
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

function handler(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{"id":"12345","name":"Ada"}');
}

/** The child: instrument node:http, then serve until killed. */
async function serve(path: string): Promise<void> {
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation()],
    meterProvider: benchMeterProvider(),
  });
  createRequire(import.meta.url)('http');
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  process.on('message', (request: Request) => {
    if (request.kind !== 'cpu') return;
    const used = process.cpuUsage();
    process.send?.({ kind: 'cpu', micros: used.user + used.system } satisfies Answer);
  });
  process.send?.({ kind: 'listening', url } satisfies Answer);
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve(process.argv[2] ?? '/');
}
