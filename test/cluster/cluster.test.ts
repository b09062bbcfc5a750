import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../support/exposition-parser.js';
import { prometheusBinary } from '../support/prometheus-server.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'cluster-app.mjs');

/** The fixture's primary: commands on stdin, event lines on stdout. */
class App {
  readonly child: ChildProcess;
  #output = '';
  #seen = 0;
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

  /** The next line (after the ones already waited for) that starts with `prefix`. */
  async line(prefix: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.#output.split('\n');
      for (let i = this.#seen; i < lines.length - 1; i++) {
        if (lines[i]?.startsWith(prefix)) {
          this.#seen = i + 1;
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

describe('node:cluster: workers report deltas, the primary serves one merged /metrics', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    app = new App();
    url = (await app.line('URL ')).split(' ')[1] as string;
  });

  afterAll(async () => {
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

    // Worker 2 works without flushing and is killed at once: at most its interval is lost.
    app.send(`work ${ids[1]} 40`);
    await app.line(`WORKED ${ids[1]}`);
    app.send(`kill ${ids[1]}`);
    await app.line(`EXITED ${ids[1]} SIGKILL`);
    const afterKill = total(await scrape(), 'workflow_duration_seconds_count', IMPORT);
    expect(afterKill).toBeGreaterThanOrEqual(60);
    expect(afterKill).toBeLessThanOrEqual(100);

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
      `cluster kill test: ${seen.length} scrapes, lost ${100 - afterKill} of worker ${ids[1]}'s last 40 runs`,
    );
  }, 20_000);

  it('merges the workers session statistics on demand', async () => {
    app.send('stats');
    const line = await app.line('STATS ');
    const totals = JSON.parse(line.slice('STATS '.length)) as { operations: number };
    // Live workers: the first (10 runs), the third (30) and the new one (7); the killed one's are gone.
    expect(totals.operations).toBe(47);
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
