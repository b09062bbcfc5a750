import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HTTP_SEMCONV_BUCKETS } from '../src/core/buckets.js';
import type { PeerLibrary } from './peers.js';

/** Body-size boundaries in bytes, 100 B to 10 MB. */
const SIZE_BUCKETS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

const LABELS = ['http_request_method', 'url_scheme', 'http_route', 'http_response_status_code'];

/** Records one request's metrics; `route` is read when the response has finished. */
export type RequestRecorder = (
  request: IncomingMessage,
  response: ServerResponse,
  route: () => string | undefined,
) => void;

/**
 * The HTTP server metrics a careful prom-client user would write by hand, recording the series
 * opmeter's integration records (semconv duration histogram with the same 14 buckets, request and
 * response body sizes, active requests), through `peer`'s own instruments.
 */
export function peerRequestRecorder(peer: PeerLibrary): RequestRecorder {
  const registry = peer.registry();
  const duration = registry.histogram(
    'http_server_request_duration_seconds',
    LABELS,
    HTTP_SEMCONV_BUCKETS,
  );
  const requestSize = registry.histogram(
    'http_server_request_body_size_bytes',
    LABELS,
    SIZE_BUCKETS,
  );
  const responseSize = registry.histogram(
    'http_server_response_body_size_bytes',
    LABELS,
    SIZE_BUCKETS,
  );
  const active = registry.gauge('http_server_active_requests', [
    'http_request_method',
    'url_scheme',
  ]);
  return (request, response, route) => {
    const start = performance.now();
    const activeLabels = { http_request_method: request.method ?? '_OTHER', url_scheme: 'http' };
    active.inc(activeLabels);
    response.once('finish', () => {
      active.dec(activeLabels);
      const labels = {
        ...activeLabels,
        http_route: route() ?? '',
        http_response_status_code: String(response.statusCode),
      };
      duration.observe(labels, (performance.now() - start) / 1000);
      requestSize.observe(labels, Number(request.headers['content-length'] ?? 0));
      responseSize.observe(labels, Number(response.getHeader('content-length') ?? 0));
    });
  };
}
