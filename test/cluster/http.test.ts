import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../support/exposition-parser.js';
import { freePort } from './free-port.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'http-cluster.mjs');
const REQUESTS = 2000;

/** One GET on a new connection, so the cluster spreads requests over its workers. */
function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

function served(text: string): number {
  return parseExposition(text)
    .samples.filter((s) => s.name === 'http_server_request_duration_seconds_count')
    .reduce((sum, s) => sum + s.value, 0);
}

describe('4 workers behind one port', () => {
  it('the primary counts exactly the requests served after the workers drain; rate stays monotonic', async () => {
    const child = spawn(process.execPath, [FIXTURE], {
      cwd: join(import.meta.dirname, 'fixtures'),
      env: { ...process.env, APP_PORT: String(await freePort()) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const line = async (prefix: string): Promise<string> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = output.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) return found.slice(prefix.length);
        if (Date.now() > deadline) throw new Error(`no "${prefix}" line; output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      const metrics = await line('METRICS ');
      const app = await line('APP ');
      const scrape = async () => served(await (await fetch(metrics)).text());
      const seen: number[] = [];
      let sent = 0;
      const load = (async () => {
        for (let batch = 0; batch < REQUESTS / 50; batch++) {
          await Promise.all(Array.from({ length: 50 }, () => get(app)));
          sent += 50;
          if (batch % 5 === 0) seen.push(await scrape());
        }
      })();
      await load;
      expect(sent).toBe(REQUESTS);
      const workers = parseExposition(await (await fetch(metrics)).text()).samples.find(
        (s) => s.name === 'opmeter_cluster_workers',
      );
      expect(workers?.value).toBe(4);
      child.stdin.write('drain\n');
      await line('DRAINED');
      const final = await scrape();
      seen.push(final);
      expect(final).toBe(REQUESTS);
      for (let i = 1; i < seen.length; i++)
        expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
      expect(seen.some((n) => n > 0 && n < REQUESTS)).toBe(true); // merged while under load
    } finally {
      child.stdin.write('stop\n');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 20_000);
});
