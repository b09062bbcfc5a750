import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Path of Debian's `chromium`, or undefined after a loud warning. Under `CI=true` a missing
 * browser throws instead: CI must not skip the HTML report check.
 */
export function chromiumBinary(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = found.stdout.trim();
    if (found.status === 0 && path !== '') return path;
  }
  const message = 'chromium not found: install it with "apt-get install -y chromium"';
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: tests cannot skip)`);
  console.warn(`\n*** SKIPPING tests that need chromium: ${message} ***\n`);
  return undefined;
}

/** What the page said while it loaded: console messages and uncaught exceptions. */
export interface PageLog {
  readonly errors: string[];
}

/** A page of a headless Chromium driven over the DevTools protocol (Node's own WebSocket). */
export interface HeadlessPage {
  /** Emulates `prefers-color-scheme`, then loads `url` and waits for its load event. */
  open(url: string, scheme: 'light' | 'dark'): Promise<PageLog>;
  /** Evaluates an expression in the page and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A full-page PNG screenshot. */
  screenshot(): Promise<Buffer>;
  /** Kills the browser (by pid) and removes its profile. */
  close(): Promise<void>;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--remote-debugging-port=0',
];

/** Starts headless Chromium with a fresh profile and opens one page. */
export async function startHeadless(binary: string): Promise<HeadlessPage> {
  const profile = mkdtempSync(join(tmpdir(), 'opmeter-chromium-'));
  const child = spawn(binary, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = await devtoolsEndpoint(child);
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(method: string, params: Record<string, unknown>) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message.method, message.params ?? {});
    }
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const { targetId } = await send<{ targetId: string }>('Target.createTarget', {
    url: 'about:blank',
  });
  const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const page = <T>(method: string, params: object = {}) => send<T>(method, params, sessionId);
  await page('Page.enable');
  await page('Runtime.enable');
  await page('Log.enable');
  const evaluate = async <T>(expression: string): Promise<T> => {
    const result = await page<{ result: { value: T }; exceptionDetails?: unknown }>(
      'Runtime.evaluate',
      { expression, returnByValue: true },
    );
    if (result.exceptionDetails) throw new Error(JSON.stringify(result.exceptionDetails));
    return result.result.value;
  };
  return {
    async open(url, scheme) {
      const log: PageLog = { errors: [] };
      const listener = (method: string, params: Record<string, unknown>) => {
        if (method === 'Runtime.exceptionThrown')
          log.errors.push(JSON.stringify(params.exceptionDetails));
        if (
          method === 'Runtime.consoleAPICalled' &&
          ['error', 'warning', 'assert'].includes(String(params.type))
        )
          log.errors.push(JSON.stringify(params.args));
        if (method === 'Log.entryAdded') {
          const entry = params.entry as { level?: string; text?: string; url?: string };
          if (entry.level === 'error') log.errors.push(`${entry.text} ${entry.url ?? ''}`);
        }
      };
      listeners.add(listener);
      await page('Emulation.setDeviceMetricsOverride', {
        width: 1280,
        height: 900,
        deviceScaleFactor: 1,
        mobile: false,
      });
      await page('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value: scheme }],
      });
      const loaded = new Promise<void>((resolve) => {
        const onLoad = (method: string) => {
          if (method === 'Page.loadEventFired') {
            listeners.delete(onLoad);
            resolve();
          }
        };
        listeners.add(onLoad);
      });
      await page('Page.navigate', { url });
      await loaded;
      return log;
    },
    evaluate,
    async screenshot() {
      const height = await evaluate<number>('document.documentElement.scrollHeight');
      const { data } = await page<{ data: string }>('Page.captureScreenshot', {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width: 1280, height, scale: 1 },
      });
      return Buffer.from(data, 'base64');
    },
    async close() {
      socket.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function devtoolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${text}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`chromium exited with ${code}: ${text}`)));
  });
}
