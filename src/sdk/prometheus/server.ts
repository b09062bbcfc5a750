import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { OpmeterConfigError } from '../../core/config-error.js';

/** A listening scrape server. */
export interface ScrapeServer {
  /** The scrape URL, with the real port when 0 was asked for. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and serves `handler` on `path` (404 elsewhere).
 * @throws OpmeterConfigError (as a rejection) when the port is in use or not allowed.
 */
export async function listenForScrapes(
  host: string,
  port: number,
  path: string,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<ScrapeServer> {
  const server = createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?', 1)[0];
    if (pathname === path) handler(request, response);
    else response.writeHead(404).end();
  });
  await listen(server, host, port);
  server.on('error', (error) => diag.error('opmeter: Prometheus scrape server error', error));
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}${path}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(listenError(error, host, port));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const fix =
    'set prometheus.port or OTEL_EXPORTER_PROMETHEUS_PORT, or mount requestHandler on your server';
  switch (error.code) {
    case 'EADDRINUSE':
      return new OpmeterConfigError(`port ${port} on ${host} is in use: ${fix}`);
    case 'EACCES':
      return new OpmeterConfigError(`port ${port} on ${host} needs privileges: ${fix}`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new OpmeterConfigError(
        `host ${host} is not an address of this machine: set prometheus.host or ` +
          'OTEL_EXPORTER_PROMETHEUS_HOST (e.g. 127.0.0.1, or 0.0.0.0 to listen on all interfaces)',
      );
    default:
      return new OpmeterConfigError(
        `cannot listen on ${host}:${port} (${error.code ?? error.message}): ${fix}`,
      );
  }
}
