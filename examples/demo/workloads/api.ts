import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  type ApiInstrumentation,
  expressErrorRecorder,
  expressMiddleware,
  type FetchInstrumentation,
  markCacheHit,
} from '../../../instrumentations/api/index.js';
import { between, chance, latencyMs, pick, sleep } from '../random.js';
import { inSpan } from '../tracing.js';
import { loop, type Workload } from './workload.js';

/** An Express shop API on a loopback port, called ~20 times a second through `fetch`. */
export async function startApi(
  api: ApiInstrumentation,
  client: FetchInstrumentation,
): Promise<Workload> {
  const cache = new Set<string>();
  const app = express();
  // What an HTTP tracing instrumentation does: each request is handled inside a server span.
  app.use((req, res, next) => {
    void inSpan(
      `${req.method} server`,
      () =>
        new Promise<void>((resolve) => {
          res.once('close', resolve);
          next();
        }),
    );
  });
  app.use(expressMiddleware(api));
  app.use(express.json());
  app.get('/orders/:id', async (req, res) => {
    if (cache.has(req.params.id)) {
      markCacheHit(req);
      res.json({ id: req.params.id, cached: true });
      return;
    }
    await sleep(latencyMs(25, 0.6));
    cache.add(req.params.id);
    res.json({ id: req.params.id, items: Math.round(between(1, 9)) });
  });
  app.post('/orders', async (req, res) => {
    await sleep(latencyMs(60, 0.5));
    res.status(201).json({
      id: Math.round(between(1, 1e6)),
      lines: (req.body as { lines?: unknown[] }).lines?.length,
    });
  });
  app.get('/reports/:year', async (_req, res) => {
    await sleep(latencyMs(350, 0.4));
    res.type('text/csv').send('month,revenue\n'.repeat(Math.round(between(50, 500))));
  });
  app.get('/inventory/:sku', async () => {
    await sleep(latencyMs(15));
    throw Object.assign(new Error('inventory service refused the connection'), {
      code: 'ECONNREFUSED',
    });
  });
  app.use(expressErrorRecorder());
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: error.message });
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client.enable();

  const call = async (): Promise<void> => {
    const roll = Math.random();
    let response: Response;
    if (roll < 0.55) response = await fetch(`${base}/orders/${Math.round(between(1, 200))}`);
    else if (roll < 0.8) {
      response = await fetch(`${base}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          lines: Array.from({ length: Math.round(between(1, 20)) }, () => ({ sku: 'A-1' })),
        }),
      });
    } else if (roll < 0.9)
      response = await fetch(`${base}/reports/${pick(['2024', '2025', '2026'])}`);
    else if (roll < 0.95)
      response = await fetch(`${base}/inventory/SKU-${Math.round(between(1, 99))}`);
    else response = await fetch(`${base}/no/such/page?ref=${Math.random()}`);
    await response.arrayBuffer();
  };
  const workload = loop(
    'api',
    () => Promise.all([call(), chance(0.5) ? call() : undefined]),
    () => latencyMs(60, 0.3),
  );
  return {
    name: workload.name,
    async stop() {
      await workload.stop();
      client.disable();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
