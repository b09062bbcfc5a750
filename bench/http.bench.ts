import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  ApiInstrumentation,
  expressMiddleware,
  instrumentServer,
} from '../instrumentations/api/index.js';
import { SessionStats } from '../src/stats/session-stats.js';
import { isEntryPoint, median } from './harness.js';
import { ContribHttpServer } from './http-contrib.js';
import { peerRequestRecorder } from './http-peers.js';
import { PEERS, type PeerLibrary } from './peers.js';
import { benchMeterProvider, RingRowSink } from './support.js';

/** Seconds of load per measurement: long enough to settle, short enough for a quick run. */
const SECONDS = 3;
/** Concurrent keep-alive connections of the load generator. */
const CONNECTIONS = 32;
/** Rounds alternate the order of the servers so that drift affects both sides alike. */
const ROUNDS = 5;
const PATH = '/users/12345';

/** The part of autocannon's `--json` report that is read. */
interface AutocannonReport {
  requests: { average: number; total: number };
  errors: number;
  non2xx: number;
}

/** The autocannon command line, run in a child process so it never competes with the server thread. */
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** One load run: throughput, and CPU time the server process spent per request. */
interface LoadResult {
  rps: number;
  cpuMicrosPerRequest: number;
}

/** How a server is instrumented: not at all, by opmeter, or by hand with a peer library. */
type Instrumented = 'none' | 'opmeter' | 'opmeter (metrics only)' | PeerLibrary;

const VARIANTS: readonly Instrumented[] = ['none', 'opmeter', 'opmeter (metrics only)', ...PEERS];

function variantName(variant: Instrumented): string {
  return typeof variant === 'string' ? variant : variant.name;
}

/** One instrumentation of one server, against the same server without any. */
export interface HttpVariantResult {
  variant: string;
  /** Median requests per second. */
  rps: number;
  /** Median over rounds of this variant's requests per second / the uninstrumented server's. */
  ratio: number;
  /** Median CPU time of the server process per request, microseconds. */
  cpuMicros: number;
  /** Median over rounds of the CPU time added per request, microseconds. */
  addedCpuMicros: number;
}

/** One server under every instrumentation, measured in the same run. */
export interface HttpBenchResult {
  server: string;
  variants: HttpVariantResult[];
}

function plainHandler(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{"id":"12345","name":"Ada"}');
}

function plainRoute(req: IncomingMessage): string | undefined {
  return req.url?.startsWith('/users/') ? '/users/:id' : undefined;
}

/** opmeter with stats and rows, or with its MeterProvider only (`metrics only`). */
function instrumentation(variant: Instrumented): ApiInstrumentation {
  const meterProvider = benchMeterProvider();
  if (variant === 'opmeter (metrics only)') return new ApiInstrumentation({ meterProvider });
  return new ApiInstrumentation({
    meterProvider,
    rows: new RingRowSink(),
    stats: new SessionStats(),
  });
}

function isOpmeter(variant: Instrumented): boolean {
  return variant === 'opmeter' || variant === 'opmeter (metrics only)';
}

function plainServer(variant: Instrumented): Server {
  if (typeof variant === 'object') {
    const record = peerRequestRecorder(variant);
    return createServer((req, res) => {
      record(req, res, () => plainRoute(req));
      plainHandler(req, res);
    });
  }
  const server = createServer(plainHandler);
  if (isOpmeter(variant)) instrumentServer(server, instrumentation(variant), { route: plainRoute });
  return server;
}

function expressServer(variant: Instrumented): Server {
  const app = express();
  if (isOpmeter(variant)) app.use(expressMiddleware(instrumentation(variant)));
  if (typeof variant === 'object') {
    const record = peerRequestRecorder(variant);
    app.use((req, res, next) => {
      record(req, res, () => (req.route as { path?: string } | undefined)?.path);
      next();
    });
  }
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, name: 'Ada' });
  });
  return createServer(app);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** CPU time of this process so far, microseconds. */
async function ownCpuMicros(): Promise<number> {
  const used = process.cpuUsage();
  return used.user + used.system;
}

/** A server to load: where it listens and how to read the CPU time of its process. */
interface Subject {
  readonly url: string;
  cpuMicros(): Promise<number>;
}

/**
 * Loads `subject` for `seconds` from an autocannon child process. CPU time is read from the
 * server's process only, so it is the server's own cost per request, whatever else runs.
 */
async function load(subject: Subject, seconds: number): Promise<LoadResult> {
  const url = subject.url;
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), url];
  const cpu = await subject.cpuMicros();
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
      error === null ? resolve(out) : reject(error),
    );
  });
  const used = (await subject.cpuMicros()) - cpu;
  const report = JSON.parse(stdout) as AutocannonReport;
  if (report.errors > 0 || report.non2xx > 0 || report.requests.total === 0) {
    throw new Error(`load on ${url} saw ${report.errors} errors and ${report.non2xx} non-2xx`);
  }
  return {
    rps: report.requests.average,
    cpuMicrosPerRequest: used / report.requests.total,
  };
}

async function compareServers(
  name: string,
  make: (variant: Instrumented) => Server,
  contrib?: ContribHttpServer,
): Promise<HttpBenchResult> {
  const servers = VARIANTS.map(make);
  const names = VARIANTS.map(variantName);
  try {
    const subjects: Subject[] = [];
    for (const server of servers)
      subjects.push({ url: await listen(server), cpuMicros: ownCpuMicros });
    if (contrib !== undefined) {
      subjects.push(contrib);
      names.push(CONTRIB_VARIANT);
    }
    for (const subject of subjects) await load(subject, 1);
    const results: LoadResult[][] = subjects.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      // rotate the order every round, so that drift affects every variant alike
      for (let k = 0; k < subjects.length; k++) {
        const v = (round + k) % subjects.length;
        const subject = subjects[v];
        if (subject !== undefined) results[v]?.push(await load(subject, SECONDS));
      }
    }
    const base = results[0] ?? [];
    const variants = names.map((variant, v) => {
      const mine = results[v] ?? [];
      const pairs = base.map((b, round) => [b, mine[round] ?? b] as const);
      return {
        variant,
        rps: median(mine.map((r) => r.rps)),
        ratio: median(pairs.map(([b, i]) => i.rps / b.rps)),
        cpuMicros: median(mine.map((r) => r.cpuMicrosPerRequest)),
        addedCpuMicros: median(
          pairs.map(([b, i]) => i.cpuMicrosPerRequest - b.cpuMicrosPerRequest),
        ),
      };
    });
    return { server: name, variants };
  } finally {
    for (const server of servers) await close(server);
  }
}

/**
 * Throughput of a plain `node:http` server and of an Express 5 app, without instrumentation,
 * with opmeter's HTTP integration (semconv histograms, active requests, a row and session
 * statistics per request) and with the same series recorded by hand through each peer library,
 * under the same load on loopback, in rotating order.
 */
export async function run(): Promise<HttpBenchResult[]> {
  const contrib = await ContribHttpServer.start(PATH);
  try {
    return [
      await compareServers('node:http', plainServer, contrib),
      await compareServers('express 5', expressServer),
    ];
  } finally {
    contrib.stop();
  }
}

/** The row of `@opentelemetry/instrumentation-http` (node:http only, in its own process). */
const CONTRIB_VARIANT = '@opentelemetry/instrumentation-http (metrics only)';

/** Renders the results as a Markdown table. */
export function httpTable(results: readonly HttpBenchResult[]): string {
  const lines = [
    `Loopback, ${CONNECTIONS} keep-alive connections, ${ROUNDS} rounds of ${SECONDS} s per variant in rotating order (autocannon in a child process).`,
    'CPU µs/req is the server process CPU time divided by requests served; ratio and added CPU are medians of the per-round figures against the uninstrumented server.',
    "opmeter's side also feeds session statistics and a row sink (its default: the duration histogram, active requests observed at collection, no body-size histograms); the peers record by hand what opmeter recorded before (duration with the 14 semconv buckets, both body sizes, active requests).",
    `${CONTRIB_VARIANT} serves node:http from a child process of its own (it patches node:http process-wide), with its own MeterProvider and no tracer provider; its CPU is that process's, its ratio against this process's uninstrumented server in the same rounds.`,
    '',
    '| server | instrumentation | req/s | ratio to none | CPU µs/req | added CPU µs/req |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const v of r.variants) {
      lines.push(
        `| ${r.server} | ${v.variant} | ${v.rps.toFixed(0)} | ${v.ratio.toFixed(3)}× | ${v.cpuMicros.toFixed(1)} | ${v.addedCpuMicros.toFixed(1)} |`,
      );
    }
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) {
  console.log(httpTable(await run()));
}
