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

/** One server with and without opmeter, measured in the same run. */
export interface HttpBenchResult {
  server: string;
  baselineRps: number;
  instrumentedRps: number;
  /** Median over rounds of instrumented / baseline requests per second. */
  ratio: number;
  /** Median CPU time of the server process per request, microseconds, without opmeter. */
  baselineCpuMicros: number;
  /** Median CPU time of the server process per request, microseconds, with opmeter. */
  instrumentedCpuMicros: number;
  /** Median over rounds of the CPU time opmeter adds per request, microseconds. */
  addedCpuMicros: number;
}

function plainHandler(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{"id":"12345","name":"Ada"}');
}

function plainRoute(req: IncomingMessage): string | undefined {
  return req.url?.startsWith('/users/') ? '/users/:id' : undefined;
}

function instrumentation(): ApiInstrumentation {
  return new ApiInstrumentation({
    meterProvider: benchMeterProvider(),
    rows: new RingRowSink(),
    stats: new SessionStats(),
  });
}

function plainServer(instrumented: boolean): Server {
  const server = createServer(plainHandler);
  if (instrumented) instrumentServer(server, instrumentation(), { route: plainRoute });
  return server;
}

function expressServer(instrumented: boolean): Server {
  const app = express();
  if (instrumented) app.use(expressMiddleware(instrumentation()));
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

/**
 * Loads `url` for `seconds` from an autocannon child process. CPU time is read from this
 * process only, so it is the server's own cost per request, whatever else the machine runs.
 */
async function load(url: string, seconds: number): Promise<LoadResult> {
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), url];
  const cpu = process.cpuUsage();
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
      error === null ? resolve(out) : reject(error),
    );
  });
  const used = process.cpuUsage(cpu);
  const report = JSON.parse(stdout) as AutocannonReport;
  if (report.errors > 0 || report.non2xx > 0 || report.requests.total === 0) {
    throw new Error(`load on ${url} saw ${report.errors} errors and ${report.non2xx} non-2xx`);
  }
  return {
    rps: report.requests.average,
    cpuMicrosPerRequest: (used.user + used.system) / report.requests.total,
  };
}

async function compareServers(
  name: string,
  make: (instrumented: boolean) => Server,
): Promise<HttpBenchResult> {
  const baseline = make(false);
  const instrumented = make(true);
  const urls = { baseline: await listen(baseline), instrumented: await listen(instrumented) };
  try {
    await load(urls.baseline, 1);
    await load(urls.instrumented, 1);
    const base: LoadResult[] = [];
    const inst: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const instrumentedFirst = round % 2 === 1;
      const first = await load(instrumentedFirst ? urls.instrumented : urls.baseline, SECONDS);
      const second = await load(instrumentedFirst ? urls.baseline : urls.instrumented, SECONDS);
      base.push(instrumentedFirst ? second : first);
      inst.push(instrumentedFirst ? first : second);
    }
    const pairs = base.map((b, k) => [b, inst[k] ?? b] as const);
    return {
      server: name,
      baselineRps: median(base.map((r) => r.rps)),
      instrumentedRps: median(inst.map((r) => r.rps)),
      ratio: median(pairs.map(([b, i]) => i.rps / b.rps)),
      baselineCpuMicros: median(base.map((r) => r.cpuMicrosPerRequest)),
      instrumentedCpuMicros: median(inst.map((r) => r.cpuMicrosPerRequest)),
      addedCpuMicros: median(pairs.map(([b, i]) => i.cpuMicrosPerRequest - b.cpuMicrosPerRequest)),
    };
  } finally {
    await close(baseline);
    await close(instrumented);
  }
}

/**
 * Throughput of a plain `node:http` server and of an Express 5 app, each without and with
 * opmeter's HTTP integration (semconv histograms, active requests, a row and session
 * statistics per request), under the same load on loopback, alternating rounds.
 */
export async function run(): Promise<HttpBenchResult[]> {
  return [
    await compareServers('node:http', plainServer),
    await compareServers('express 5', expressServer),
  ];
}

/** Renders the results as a Markdown table. */
export function httpTable(results: readonly HttpBenchResult[]): string {
  const lines = [
    `Loopback, ${CONNECTIONS} keep-alive connections, ${ROUNDS} alternating rounds of ${SECONDS} s per side (autocannon in a child process).`,
    'CPU µs/req is the server process CPU time divided by requests served.',
    '',
    '| server | req/s without | req/s with opmeter | ratio | CPU µs/req without | CPU µs/req with | added CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.server} | ${r.baselineRps.toFixed(0)} | ${r.instrumentedRps.toFixed(0)} | ${r.ratio.toFixed(3)}× | ${r.baselineCpuMicros.toFixed(1)} | ${r.instrumentedCpuMicros.toFixed(1)} | ${r.addedCpuMicros.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) {
  console.log(httpTable(await run()));
}
