import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../support/exposition-parser.js';
import {
  type PrometheusServer,
  prometheusBinary,
  startPrometheusServer,
} from '../support/prometheus-server.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'cluster-app.mjs');

/** The fixture's primary: commands on stdin, event lines on stdout. */
class App {
  readonly child: ChildProcess;
  #output = '';
  readonly #taken = new Set<number>();
  #wake: Array<() => void> = [];

  constructor() {
    this.child = spawn(process.execPath, [FIXTURE], {
      cwd: join(import.meta.dirname, 'fixtures'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.#output += chunk;
      for (const wake of this.#wake.splice(0)) wake();
    });
  }

  send(command: string): void {
    this.child.stdin?.write(`${command}\n`);
  }

  /** The first line not yet returned that starts with `prefix`. */
  async line(prefix: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.#output.split('\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (!this.#taken.has(i) && lines[i]?.startsWith(prefix)) {
          this.#taken.add(i);
          return lines[i] as string;
        }
      }
      if (Date.now() > deadline) throw new Error(`no "${prefix}" line; output:\n${this.#output}`);
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async fork(): Promise<string> {
    this.send('fork');
    return (await this.line('READY ')).split(' ')[1] as string;
  }
}

/** Sum of the samples named `name` whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseExposition(text)
    .samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )
    .reduce((sum, s) => sum + s.value, 0);
}

const IMPORT = { workflow_code: 'IMPORT' };
const SELECTOR = 'workflow_duration_seconds_count{workflow_code="IMPORT"}';

describe('node:cluster: workers report deltas, the primary serves one merged /metrics', () => {
  let app: App;
  let url: string;
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    app = new App();
    url = (await app.line('URL ')).split(' ')[1] as string;
    // A real Prometheus scrapes the primary every second through the whole kill test.
    const binary = prometheusBinary('prometheus');
    if (binary) prometheus = await startPrometheusServer({ binary, target: new URL(url).host });
  });

  afterAll(async () => {
    await prometheus?.stop();
    app.send('stop');
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    setTimeout(() => app.child.kill('SIGKILL'), 5000).unref();
    await exited;
  });

  const scrape = async () => (await fetch(url)).text();

  it('sums three workers, survives a SIGKILL without going back, and takes in a new worker', async () => {
    const ids = [await app.fork(), await app.fork(), await app.fork()];
    const runs = [10, 20, 30];
    ids.forEach((id, i) => {
      app.send(`work ${id} ${runs[i]} flush`);
    });
    for (const id of ids) await app.line(`WORKED ${id}`);

    // Scrapes every 25 ms from here on: no counter may ever go back.
    const seen: number[] = [];
    let scraping = true;
    const watcher = (async () => {
      while (scraping) {
        seen.push(total(await scrape(), 'workflow_duration_seconds_count', IMPORT));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const merged = await scrape();
    expect(total(merged, 'workflow_duration_seconds_count', IMPORT)).toBe(60);
    expect(total(merged, 'workflow_duration_seconds_bucket', { ...IMPORT, le: '+Inf' })).toBe(60);
    // Buckets add: every cumulative bucket of the merge is the sum over workers, so monotonic in le.
    const buckets = parseExposition(merged).samples.filter(
      (s) => s.name === 'workflow_duration_seconds_bucket' && s.labels.workflow_code === 'IMPORT',
    );
    expect(buckets.length).toBeGreaterThan(5);
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value ?? 0);
    }
    // The primary's own workflow is merged too, and the aggregation reports on itself.
    expect(total(merged, 'workflow_duration_seconds_count', { workflow_code: 'PRIMARY_JOB' })).toBe(
      1,
    );
    expect(total(merged, 'opmeter_cluster_workers')).toBe(3);
    expect(total(merged, 'opmeter_cluster_ipc_bytes_total')).toBeGreaterThan(0);

    // Prometheus has scraped the 60 before the kill.
    await prometheus?.waitForSamples(SELECTOR, { timeoutMs: 10_000 });

    // Worker 2 runs a workflow every millisecond and is killed mid-load: what it ran since its
    // last report (at most one interval, 100 ms) is lost, nothing else.
    app.send(`load ${ids[1]}`);
    await app.line(`LOADING ${ids[1]}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    app.send(`kill ${ids[1]}`);
    const [, , , ran, ms] = (await app.line(`EXITED ${ids[1]} SIGKILL`)).split(' ');
    const afterKill = total(await scrape(), 'workflow_duration_seconds_count', IMPORT);
    const lost = 60 + Number(ran) - afterKill;
    const perInterval = (Number(ran) / Number(ms)) * 100;
    expect(afterKill).toBeGreaterThan(60);
    // The count known to the primary lags by up to 10 runs (progress every 10), never ahead.
    expect(lost).toBeGreaterThanOrEqual(-10);
    expect(lost).toBeLessThanOrEqual(perInterval + 10);

    // A new worker contributes without a restart of the primary.
    const fresh = await app.fork();
    app.send(`work ${fresh} 7 flush`);
    await app.line(`WORKED ${fresh}`);
    const withFresh = await scrape();
    expect(total(withFresh, 'workflow_duration_seconds_count', IMPORT)).toBe(afterKill + 7);

    scraping = false;
    await watcher;
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
    }
    console.log(
      `cluster kill test: ${seen.length} scrapes, worker ran ${ran} in ${Number(ms).toFixed(0)} ms (${perInterval.toFixed(0)} per 100 ms interval), lost ${lost} at SIGKILL`,
    );
  }, 15_000);

  it('merges the workers session statistics on demand', async () => {
    app.send('stats');
    const line = await app.line('STATS ');
    const totals = JSON.parse(line.slice('STATS '.length)) as { operations: number };
    // Live workers: the first (10 runs), the third (30) and the new one (7); the killed one's are gone.
    expect(totals.operations).toBe(47);
  });

  it('a real Prometheus scraping the primary saw no counter reset and the final count', async (context) => {
    if (prometheus === undefined) return context.skip();
    const expected = total(await scrape(), 'workflow_duration_seconds_count', IMPORT);
    const selector = SELECTOR;
    const [latest] = await prometheus.waitForSamples(selector, {
      timeoutMs: 10_000,
      accept: ([sample]) => Number(sample?.value[1]) === expected,
    });
    expect(Number(latest?.value[1])).toBe(expected);
    const scrapes = await prometheus.query(`count_over_time(${selector}[5m])`);
    expect(Number(scrapes[0]?.value[1])).toBeGreaterThanOrEqual(2);
    const resets = await prometheus.query(`resets(${selector}[5m])`);
    expect(resets.map((r) => Number(r.value[1]))).toEqual([0]);
  });

  it('serves an exposition promtool accepts', async (context) => {
    const promtool = prometheusBinary('promtool');
    if (promtool === undefined) return context.skip();
    const checked = spawnSync(promtool, ['check', 'metrics'], {
      input: await scrape(),
      encoding: 'utf8',
    });
    expect(checked.error).toBeUndefined();
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
  });
});
