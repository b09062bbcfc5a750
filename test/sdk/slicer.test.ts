import { once } from 'node:events';
import { stat } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Slicer } from '../../src/sdk/prometheus/exposition/slicer.js';

/** Runs `job` in an I/O callback (the poll phase of the event loop), as a scrape's handler runs. */
function inIoCallback<T>(job: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    stat(fileURLToPath(import.meta.url), () => job().then(resolve, reject));
  });
}

/** Keeps the thread busy for `ms`, as a collection or a slice of rendering does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

describe('Slicer', () => {
  it('lets due timers run at a whole-turn yield made from an I/O callback, before the next slice', async () => {
    const order = await inIoCallback(async () => {
      const seen: string[] = [];
      setTimeout(() => seen.push('timer'), 0);
      busy(3); // the timer is now due
      await new Slicer().yieldWholeTurn();
      seen.push('next slice');
      return seen;
    });
    expect(order).toEqual(['timer', 'next slice']);
  });

  it('lets other I/O callbacks run at a whole-turn yield made from an I/O callback', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [socket] = await accepted;
    try {
      const seen: string[] = [];
      const done = new Promise<void>((resolve) => {
        socket.once('data', async () => {
          socket.on('data', () => seen.push('io'));
          client.write('second'); // in the server socket's kernel buffer at once (loopback)
          busy(3);
          await new Slicer().yieldWholeTurn();
          seen.push('next slice');
          resolve();
        });
      });
      client.write('first');
      await done;
      expect(seen).toEqual(['io', 'next slice']);
    } finally {
      client.destroy();
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lets due timers run at a yield made from a slice (the check phase)', async () => {
    const order = await new Promise<string[]>((resolve, reject) => {
      setImmediate(() => {
        const seen: string[] = [];
        setTimeout(() => seen.push('timer'), 0);
        busy(3);
        new Slicer().yield().then(() => resolve([...seen, 'next slice']), reject);
      });
    });
    expect(order).toEqual(['timer', 'next slice']);
  });

  it('rejects at a yield once its signal is aborted', async () => {
    const abort = new AbortController();
    const slicer = new Slicer(4, abort.signal);
    abort.abort(new Error('scrape abandoned'));
    await expect(slicer.yield()).rejects.toThrow('scrape abandoned');
  });
});
