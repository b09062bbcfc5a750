import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the traffic (a database's or a collector's):
 * - `none`: forwards both ways;
 * - `refuse`: stops listening (connection refused) and closes every open connection;
 * - `blackhole`: accepts connections and keeps them open, but forwards nothing either way;
 * - `reset`: resets every open connection and each new one as soon as it is accepted;
 * - `slow`: forwards both ways, each chunk `delayMs` late;
 * - `lose-replies`: forwards, but on every `every`-th statement that contains `INSERT` the
 *   database's answer is swallowed and the connection reset (the INSERT landed, the client cannot know).
 */
export type Fault =
  | { readonly kind: 'none' | 'refuse' | 'blackhole' | 'reset' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'lose-replies'; readonly every: number };

/** A TCP proxy on 127.0.0.1 in front of a test server, whose fault a test can switch at any time. */
export interface FaultProxy {
  /** The proxy's port. */
  readonly port: number;
  /** INSERT statements seen, and answers swallowed by `lose-replies`. */
  readonly stats: { inserts: number; lostReplies: number };
  /** Switches to `fault` (for open connections too); resolves once it applies. */
  set(fault: Fault): Promise<void>;
  /** Stops the proxy for good, closing every connection. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** The next answer of the database is swallowed and the pair reset. */
  swallowReply: boolean;
}

/** Starts a proxy from 127.0.0.1:<random port> to `targetHost:targetPort`, with no fault. */
export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  const stats = { inserts: 0, lostReplies: 0 };
  let fault: Fault = { kind: 'none' };
  let server: Server | undefined;
  let port = 0;

  const reset = (pair: Pair): void => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
  };
  const forward = (pair: Pair, from: Socket, to: Socket, chunk: Buffer): void => {
    if (fault.kind === 'blackhole') return;
    if (from === pair.client && fault.kind === 'lose-replies' && chunk.includes('INSERT')) {
      stats.inserts += 1;
      if (stats.inserts % fault.every === 0) pair.swallowReply = true;
    } else if (from === pair.client && chunk.includes('INSERT')) stats.inserts += 1;
    if (from === pair.upstream && pair.swallowReply) {
      stats.lostReplies += 1;
      reset(pair);
      return;
    }
    if (fault.kind === 'slow') setTimeout(() => to.write(chunk), fault.delayMs);
    else to.write(chunk);
  };
  const accept = (client: Socket): void => {
    if (fault.kind === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: Pair = { client, upstream, swallowReply: false };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => forward(pair, client, upstream, chunk));
    upstream.on('data', (chunk: Buffer) => forward(pair, upstream, client, chunk));
    const end = (): void => {
      // A blackhole keeps the client hanging even when the database gives up on it.
      if (fault.kind === 'blackhole' && !client.destroyed) {
        upstream.destroy();
        return;
      }
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  };
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const listening = createServer(accept);
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        const address = listening.address();
        if (typeof address === 'object' && address) port = address.port;
        server = listening;
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      const listening = server;
      server = undefined;
      if (listening) listening.close(() => resolve());
      else resolve();
    });
  const dropAll = (): void => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      pair.client.destroy();
      pair.upstream.destroy();
    }
  };

  await listen();
  return {
    port,
    stats,
    async set(next) {
      fault = next;
      if (next.kind === 'refuse') {
        dropAll();
        await stopListening();
        return;
      }
      if (next.kind === 'reset') for (const pair of [...pairs]) reset(pair);
      if (!server) await listen();
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}
