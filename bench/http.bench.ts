import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { isEntryPoint, median } from './harness.js';
import { CONTRIB_FRAMEWORK_NOTE, CONTRIB_VARIANT } from './http-contrib.js';
import { ServerProcess } from './http-process.js';
import { SERVER_KINDS, type ServerKind } from './http-servers.js';
import { FLOOR_NOTE, HTTP_VARIANTS, RAW_OTEL_VARIANT } from './http-variants.js';

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
  /** The user-space part: the JavaScript an instrumentation adds, without the kernel's I/O time. */
  userMicrosPerRequest: number;
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
  /** Lowest and highest per-round added CPU time, microseconds. */
  addedCpuSpread: readonly [number, number];
  /** Median over rounds of the user-space CPU time added per request, microseconds. */
  addedUserMicros: number;
}

/** One server under every instrumentation, measured in the same run. */
export interface HttpBenchResult {
  server: string;
  variants: HttpVariantResult[];
}

/**
 * Loads `server` for `seconds` from an autocannon child process. CPU time is read from the
 * server's process only, so it is the server's own cost per request, whatever else runs.
 */
async function load(server: ServerProcess, seconds: number): Promise<LoadResult> {
  const url = server.url;
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), url];
  const cpu = await server.cpuMicros();
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
      error === null ? resolve(out) : reject(error),
    );
  });
  const after = await server.cpuMicros();
  const report = JSON.parse(stdout) as AutocannonReport;
  if (report.errors > 0 || report.non2xx > 0 || report.requests.total === 0) {
    throw new Error(`load on ${url} saw ${report.errors} errors and ${report.non2xx} non-2xx`);
  }
  return {
    rps: report.requests.average,
    cpuMicrosPerRequest: (after.total - cpu.total) / report.requests.total,
    userMicrosPerRequest: (after.user - cpu.user) / report.requests.total,
  };
}

/**
 * Every variant of `kind`, each in a server process of its own, all started before the first
 * load (each idles while another is loaded), warmed up, then loaded in rotating order per round.
 */
async function compareServers(kind: ServerKind): Promise<HttpBenchResult> {
  const servers: ServerProcess[] = [];
  try {
    for (const variant of HTTP_VARIANTS) servers.push(await ServerProcess.start(kind, variant));
    for (const server of servers) await load(server, 1);
    const results: LoadResult[][] = servers.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      // rotate the order every round, so that drift affects every variant alike
      for (let k = 0; k < servers.length; k++) {
        const v = (round + k) % servers.length;
        const server = servers[v];
        if (server !== undefined) results[v]?.push(await load(server, SECONDS));
      }
    }
    const base = results[0] ?? [];
    const variants = HTTP_VARIANTS.map((variant, v) => {
      const mine = results[v] ?? [];
      const pairs = base.map((b, round) => [b, mine[round] ?? b] as const);
      const added = pairs.map(([b, i]) => i.cpuMicrosPerRequest - b.cpuMicrosPerRequest);
      return {
        variant,
        rps: median(mine.map((r) => r.rps)),
        ratio: median(pairs.map(([b, i]) => i.rps / b.rps)),
        cpuMicros: median(mine.map((r) => r.cpuMicrosPerRequest)),
        addedCpuMicros: median(added),
        addedCpuSpread: [Math.min(...added), Math.max(...added)] as const,
        addedUserMicros: median(
          pairs.map(([b, i]) => i.userMicrosPerRequest - b.userMicrosPerRequest),
        ),
      };
    });
    return { server: kind, variants };
  } finally {
    await Promise.all(servers.map((server) => server.stopped()));
  }
}

/**
 * Throughput and server CPU per request of a plain `node:http` server, an Express 5 app and a
 * Fastify 5 app, without instrumentation, with opmeter's HTTP integration (with stats and rows,
 * and metrics only), with the series opmeter used to record written by hand through each peer
 * library, and with `@opentelemetry/instrumentation-http`, each in a server process of its own,
 * under the same load on loopback, in rotating order.
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
    "Every variant serves the same server (same handler and route) from a server process of its own, built the same way; all variants of one server run at once, each idle while another is loaded. This process only drives the load and reads each server process's CPU time.",
    'CPU µs/req is the server process CPU time divided by requests served; ratio and added CPU are medians of the per-round figures against the uninstrumented server (none) of the same kind in the same rounds, with the lowest and highest round in brackets. Added user CPU leaves out the kernel time of the sockets, the same work for every variant and the noisiest part on a shared machine.',
    'opmeter records its default series (the duration histogram, active requests observed at collection, no body-size histograms) to its own MeterProvider and also feeds session statistics and a row sink; opmeter (metrics only) has its MeterProvider alone. The peers record by hand what opmeter recorded before (duration with the 14 semconv buckets, both body sizes, active requests).',
    `${RAW_OTEL_VARIANT} records what opmeter (metrics only) records, written by hand against @opentelemetry/api the way instrumentation-http records it: the duration histogram with the same attributes, built per request, and active requests as a synchronous up-down counter (+1, -1), on an SDK MeterProvider.`,
    FLOOR_NOTE,
    `${CONTRIB_VARIANT} is registered in its process before the server is loaded (it patches node:http process-wide), with its own MeterProvider, no tracer provider and the stable HTTP semconv (OTEL_SEMCONV_STABILITY_OPT_IN=http).`,
    CONTRIB_FRAMEWORK_NOTE,
    '',
    '| server | instrumentation | req/s | ratio to none | CPU µs/req | added CPU µs/req [spread] | added user CPU µs/req |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const v of r.variants) {
      lines.push(
        `| ${r.server} | ${v.variant} | ${v.rps.toFixed(0)} | ${v.ratio.toFixed(3)}× | ${v.cpuMicros.toFixed(1)} | ${v.addedCpuMicros.toFixed(1)} [${v.addedCpuSpread.map((x) => x.toFixed(1)).join(', ')}] | ${v.addedUserMicros.toFixed(1)} |`,
      );
    }
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) {
  console.log(httpTable(await run()));
}
