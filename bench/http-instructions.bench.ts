import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEntryPoint } from './harness.js';
import { CONTRIB_FRAMEWORK_NOTE, CONTRIB_VARIANT } from './http-contrib.js';
import { ServerProcess } from './http-process.js';
import { SERVER_KINDS, type ServerKind } from './http-servers.js';
import { FLOOR_NOTE, FLOOR_VARIANTS, type HttpVariant, RAW_OTEL_VARIANT } from './http-variants.js';

/** The variants counted: the targets' terms, the raw OTel calls, the SDK floors and one peer (valgrind is slow). */
const VARIANTS: readonly HttpVariant[] = [
  'none',
  'opmeter',
  'opmeter (metrics only)',
  RAW_OTEL_VARIANT,
  ...Object.keys(FLOOR_VARIANTS),
  'prom-client',
  CONTRIB_VARIANT,
];

/** Requests served before the measured ones, so that every run's code is warm (JIT tiers up). */
const WARMUP = 1000;
/** Requests per measured stretch; each variant is measured over two stretches. */
const MEASURED = 1000;
/** Server processes counted at once (a count does not depend on what else runs). */
const PARALLEL = 2;
/** Requests in flight at once, over keep-alive connections. */
const CONCURRENCY = 8;

/** One variant of one server: instructions per request, and added to the uninstrumented server. */
export interface InstructionResult {
  server: ServerKind;
  variant: HttpVariant;
  /** Instructions per request over each measured stretch. */
  stretches: readonly number[];
  perRequest: number;
  added: number;
}

/** Sends `count` GETs to `url`, `CONCURRENCY` at a time, and resolves when all are answered. */
async function send(url: string, count: number, agent: Agent): Promise<void> {
  let started = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  const lane = async () => {
    while (started < count) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

/** Instructions per request of `kind` under `variant` over two stretches, after the warm-up. */
async function stretches(kind: ServerKind, variant: HttpVariant): Promise<number[]> {
  const directory = await mkdtemp(join(tmpdir(), 'opmeter-callgrind-'));
  const server = await ServerProcess.start(kind, variant, directory);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await send(server.url, WARMUP, agent);
    await server.instructionsSinceLastMark();
    const counts: number[] = [];
    for (let stretch = 0; stretch < 2; stretch++) {
      await send(server.url, MEASURED, agent);
      counts.push((await server.instructionsSinceLastMark()) / MEASURED);
    }
    return counts;
  } finally {
    agent.destroy();
    await server.stopped();
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Each server under each variant, counted by valgrind's callgrind in a process of its own: the
 * instructions the server process executes per request (JavaScript, V8, libuv and the system-call
 * wrappers; not the kernel), a figure that does not move with the machine's load.
 */
export async function run(): Promise<InstructionResult[]> {
  const jobs = SERVER_KINDS.flatMap((server) => VARIANTS.map((variant) => ({ server, variant })));
  const counted = new Map<string, number[]>();
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
      counted.set(`${job.server}|${job.variant}`, await stretches(job.server, job.variant));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return SERVER_KINDS.flatMap((server) => {
    const none = mean(counted.get(`${server}|none`) ?? []);
    return VARIANTS.map((variant) => {
      const measured = counted.get(`${server}|${variant}`) ?? [];
      const perRequest = mean(measured);
      return { server, variant, stretches: measured, perRequest, added: perRequest - none };
    });
  });
}

/** Renders the results as a Markdown table, with opmeter's added instructions against the contrib instrumentation's. */
export function instructionTable(results: readonly InstructionResult[]): string {
  const lines = [
    `Instructions per request counted by \`valgrind --tool=callgrind\` in the server process (JavaScript, V8, libuv; not the kernel), ${CONCURRENCY} keep-alive connections, one process per variant: ${WARMUP} requests to warm up, then two stretches of ${MEASURED}, each counted from callgrind's dumps before and after it (start-up and warm-up are left out). The two stretches show how far a count moves (JIT and GC timing); counts, unlike times, do not move with the load of a shared machine.`,
    FLOOR_NOTE,
    CONTRIB_FRAMEWORK_NOTE,
    '',
    '| server | instrumentation | instructions/req (stretches) | added | added × contrib |',
    '|---|---|---:|---:|---:|',
  ];
  for (const r of results) {
    const contrib = results.find((c) => c.server === r.server && c.variant === CONTRIB_VARIANT);
    const ratio =
      r.variant === 'none' || contrib === undefined || contrib.added <= 0
        ? '—'
        : `${(r.added / contrib.added).toFixed(2)}×`;
    lines.push(
      `| ${r.server} | ${r.variant} | ${Math.round(r.perRequest)} (${r.stretches.map(Math.round).join(', ')}) | ${Math.round(r.added)} | ${ratio} |`,
    );
  }
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) console.log(instructionTable(await run()));
