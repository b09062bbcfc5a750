import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Attributes } from '@opentelemetry/api';
import { HTTP_SEMCONV_BUCKETS } from '../src/core/buckets.js';
import type { PeerLibrary } from './peers.js';
import { benchMeterProvider } from './support.js';

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

/**
 * The same request's metrics written by hand against `@opentelemetry/api` the way
 * `@opentelemetry/instrumentation-http` records them: the duration histogram with opmeter's
 * attributes (an object built per request) and active requests as a synchronous up-down counter
 * (+1, -1: three hashed SDK calls per request, where opmeter makes one and observes active
 * requests at collection), on an SDK MeterProvider.
 */
export function rawOtelRequestRecorder(): RequestRecorder {
  const meter = benchMeterProvider().getMeter('raw');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_SEMCONV_BUCKETS] },
  });
  const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
  return (request, response, route) => {
    const start = performance.now();
    const method = request.method ?? '_OTHER';
    const activeAttributes = { 'http.request.method': method, 'url.scheme': 'http' };
    active.add(1, activeAttributes);
    response.once('finish', () => {
      active.add(-1, activeAttributes);
      const template = route();
      duration.record((performance.now() - start) / 1000, {
        ...activeAttributes,
        'http.route': template,
        'http.response.status_code': response.statusCode,
        'network.protocol.version': request.httpVersion,
        'opmeter.endpoint.code': `${method} ${template}`,
        package: 'default',
      });
    });
  };
}

/** The attribute sets of the floor variants: opmeter's default duration series, and the semconv part alone. */
export type FloorAttributes = 'opmeter' | 'semconv';

/**
 * The least a request's duration can cost through the OTel SDK: a `finish` listener, two clock
 * reads and one `histogram.record()` of an attribute set built at the first request and reused
 * (the suite serves one route, so no lookup is needed). `opmeter` records opmeter's seven default
 * attributes; `semconv` leaves out the endpoint code and package, as instrumentation-http records.
 */
export function otelFloorRequestRecorder(set: FloorAttributes): RequestRecorder {
  const meter = benchMeterProvider().getMeter('floor');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_SEMCONV_BUCKETS] },
  });
  let attributes: Attributes | undefined;
  return (request, response, route) => {
    const start = performance.now();
    response.once('finish', () => {
      attributes ??= floorAttributes(set, request, response, route());
      duration.record((performance.now() - start) / 1000, attributes);
    });
  };
}

function floorAttributes(
  set: FloorAttributes,
  request: IncomingMessage,
  response: ServerResponse,
  template: string | undefined,
): Attributes {
  const method = request.method ?? '_OTHER';
  const semconv: Attributes = {
    'http.request.method': method,
    'url.scheme': 'http',
    'http.route': template,
    'http.response.status_code': response.statusCode,
    'network.protocol.version': request.httpVersion,
  };
  if (set === 'semconv') return semconv;
  return { ...semconv, 'opmeter.endpoint.code': `${method} ${template}`, package: 'default' };
}
