import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One sample of an instant-vector answer from the Prometheus HTTP API. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A running Prometheus server started by {@link startPrometheusServer}. */
export interface PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Runs an instant query and returns the vector (empty when nothing matches). */
  query(promql: string): Promise<PromSample[]>;
  /**
   * Repeats `query` until it returns at least one sample (and `accept` agrees, when given);
   * rejects after `timeoutMs` (default 30 s).
   */
  waitForSamples(
    promql: string,
    options?: { timeoutMs?: number; accept?: (samples: PromSample[]) => boolean },
  ): Promise<PromSample[]>;
  /** The exemplars stored for the series of `promql` over the last `seconds` (default 300). */
  queryExemplars(promql: string, seconds?: number): Promise<PromExemplars[]>;
  /** Kills the server by pid and removes its temporary config and storage. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheusServer}. */
export interface PrometheusServerOptions {
  /** `host:port` to scrape, e.g. `127.0.0.1:9464`. */
  target: string;
  /** Scrape path. Default `/metrics`. */
  metricsPath?: string;
  /** Job label of the target. Default `opmeter`. */
  job?: string;
  /** Feature flags to enable (`--enable-feature`), e.g. `exemplar-storage`. */
  features?: readonly string[];
  /** Seconds between scrapes, also each scrape's timeout. Default 1. */
  scrapeIntervalSeconds?: number;
}

/** One series of a `/api/v1/query_exemplars` answer. */
export interface PromExemplars {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

/**
 * Path of a binary of Debian's `prometheus` package (`prometheus`, `promtool`), or `undefined`
 * after a loud warning. Under `CI=true` a missing binary throws instead: CI must not skip.
 */
export function prometheusBinary(name: 'prometheus' | 'promtool'): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path !== '') return path;
  const message = `${name} not found: install it with "apt-get install -y prometheus"`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: tests cannot skip)`);
  console.warn(`\n*** SKIPPING tests that need ${name}: ${message} ***\n`);
  return undefined;
}

/**
 * Starts `prometheus` on a free 127.0.0.1 port, scraping `target` every second (or every
 * `scrapeIntervalSeconds`), with a temporary
 * config and TSDB directory, and resolves once `/-/ready` answers 200.
 */
export async function startPrometheusServer(
  options: PrometheusServerOptions & { binary: string },
): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'opmeter-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      `  scrape_interval: ${options.scrapeIntervalSeconds ?? 1}s`,
      '  evaluation_interval: 1s',
      'scrape_configs:',
      `  - job_name: ${options.job ?? 'opmeter'}`,
      `    metrics_path: ${options.metricsPath ?? '/metrics'}`,
      '    static_configs:',
      `      - targets: ['${options.target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    options.binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...(options.features ?? []).map((feature) => `--enable-feature=${feature}`),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    await kill(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await poll(
      async () => (await fetch(`${url}/-/ready`)).ok,
      20_000,
      () => log,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async (promql: string): Promise<PromSample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: PromSample[] };
    };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data?.result ?? [];
  };
  const queryExemplars = async (promql: string, seconds = 300): Promise<PromExemplars[]> => {
    const end = Date.now() / 1000;
    const params = new URLSearchParams({
      query: promql,
      start: String(end - seconds),
      end: String(end),
    });
    const response = await fetch(`${url}/api/v1/query_exemplars?${params}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: PromExemplars[];
    };
    if (body.status !== 'success')
      throw new Error(`exemplar query ${promql} failed: ${body.error}`);
    return body.data ?? [];
  };
  return {
    url,
    query,
    queryExemplars,
    waitForSamples: async (promql, { timeoutMs = 30_000, accept = () => true } = {}) => {
      let samples: PromSample[] = [];
      await poll(
        async () => {
          samples = await query(promql);
          return samples.length > 0 && accept(samples);
        },
        timeoutMs,
        () => `no samples for ${promql}; prometheus log:\n${log}`,
      );
      return samples;
    },
    stop,
  };
}

async function poll(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}
