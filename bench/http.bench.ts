import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  ApiInstrumentation,
  expressMiddleware,
  fastifyPlugin,
  instrumentServer,
} from '../instrumentations/api/index.js';
import { SessionStats } from '../src/stats/session-stats.js';
import { isEntryPoint, median } from './harness.js';
import { CONTRIB_FRAMEWORK_NOTE, CONTRIB_VARIANT, ContribHttpServer } from './http-contrib.js';
import { peerRequestRecorder } from './http-peers.js';
import {
  expressServer,
  fastifyServer,
  nodeHttpServer,
  PATH,
  plainRoute,
  SERVER_KINDS,
  type ServerKind,
} from './http-servers.js';
import { PEERS, type PeerLibrary } from './peers.js';
import { benchMeterProvider, RingRowSink } from './support.js';

/** Seconds of load per measurement: long enough to settle, short enough for a quick run. */
const SECONDS = 3;
/** Concurrent keep-alive connections of the load generator. */
const CONNECTIONS = 32;
/** Rounds alternate the order of the servers so that drift affects both sides alike. */
const ROUNDS = 5;

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
    return nodeHttpServer((req, res) => record(req, res, () => plainRoute(req)));
  }
  const server = nodeHttpServer();
  if (isOpmeter(variant)) instrumentServer(server, instrumentation(variant), { route: plainRoute });
  return server;
}

function expressVariant(variant: Instrumented): Server {
  return expressServer((app) => {
    if (isOpmeter(variant)) app.use(expressMiddleware(instrumentation(variant)));
    if (typeof variant === 'object') {
      const record = peerRequestRecorder(variant);
      app.use((req, res, next) => {
        record(req, res, () => (req.route as { path?: string } | undefined)?.path);
        next();
      });
    }
  });
}

function fastifyVariant(variant: Instrumented): Promise<Server> {
  return fastifyServer(async (app) => {
    if (isOpmeter(variant)) await app.register(fastifyPlugin(instrumentation(variant)));
    if (typeof variant === 'object') {
      const record = peerRequestRecorder(variant);
      app.addHook('onRequest', (request, reply, done) => {
        record(request.raw, reply.raw, () => request.routeOptions.url);
        done();
      });
    }
  });
}

/** How each server kind is built under one variant in this process. */
const SERVERS: Record<ServerKind, (variant: Instrumented) => Promise<Server> | Server> = {
  'node:http': plainServer,
  'express 5': expressVariant,
  'fastify 5': fastifyVariant,
};

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

/** Every variant of `kind` in this process, and `kind` under the OTel contrib packages in its own. */
async function compareServers(kind: ServerKind): Promise<HttpBenchResult> {
  const servers: Server[] = [];
  const names = [...VARIANTS.map(variantName), CONTRIB_VARIANT];
  let contrib: ContribHttpServer | undefined;
  try {
    for (const variant of VARIANTS) servers.push(await SERVERS[kind](variant));
    const subjects: Subject[] = [];
    for (const server of servers)
      subjects.push({ url: await listen(server), cpuMicros: ownCpuMicros });
    contrib = await ContribHttpServer.start(kind);
    subjects.push(contrib);
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
    return { server: kind, variants };
  } finally {
    contrib?.stop();
    for (const server of servers) await close(server);
  }
}

/**
 * Throughput of a plain `node:http` server, an Express 5 app and a Fastify 5 app, without
 * instrumentation, with opmeter's HTTP integration (semconv histograms, active requests, a row
 * and session statistics per request), with the same series recorded by hand through each peer
 * library, and with `@opentelemetry/instrumentation-http` in a process of its own, under the same
 * load on loopback, in rotating order.
 */
export async function run(): Promise<HttpBenchResult[]> {
  const results: HttpBenchResult[] = [];
  for (const kind of SERVER_KINDS) results.push(await compareServers(kind));
  return results;
}

/** Renders the results as a Markdown table. */
export function httpTable(results: readonly HttpBenchResult[]): string {
  const lines = [
    `Loopback, ${CONNECTIONS} keep-alive connections, ${ROUNDS} rounds of ${SECONDS} s per variant in rotating order (autocannon in a child process).`,
    'CPU µs/req is the server process CPU time divided by requests served; ratio and added CPU are medians of the per-round figures against the uninstrumented server.',
    "opmeter's side also feeds session statistics and a row sink (its default: the duration histogram, active requests observed at collection, no body-size histograms); the peers record by hand what opmeter recorded before (duration with the 14 semconv buckets, both body sizes, active requests).",
    `${CONTRIB_VARIANT} serves each server (same handler and route) from a child process of its own (it patches node:http process-wide), with its own MeterProvider and no tracer provider; its CPU is that process's, its ratio and added CPU against this process's uninstrumented server of the same kind in the same rounds.`,
    CONTRIB_FRAMEWORK_NOTE,
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
