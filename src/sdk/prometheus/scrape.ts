import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type {
  MetricData,
  MetricDescriptor,
  MetricReader,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { type PrometheusName, prometheusName } from './names.js';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders the reader's current metrics in the Prometheus text format, with Prometheus names. */
export function createScraper(reader: MetricReader): () => Promise<string> {
  const serializer = new PrometheusSerializer();
  // Descriptors are long-lived objects owned by the SDK's metric storages: one lookup per scrape.
  const names = new WeakMap<MetricDescriptor, PrometheusName>();
  const rename = (metric: MetricData): MetricData => {
    let mapped = names.get(metric.descriptor);
    if (mapped === undefined) {
      mapped = prometheusName(metric);
      names.set(metric.descriptor, mapped);
    }
    return {
      ...metric,
      descriptor: { ...metric.descriptor, name: mapped.name, unit: mapped.unit },
    };
  };
  return async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) diag.error('opmeter: errors while collecting metrics', ...errors);
    const renamed: ResourceMetrics = {
      resource: resourceMetrics.resource,
      scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
        scope: scope.scope,
        metrics: scope.metrics.map(rename),
      })),
    };
    return serializer.serialize(renamed);
  };
}

/**
 * An HTTP handler serving `scrape()` on any path it is mounted on: GET and HEAD get 200 with the
 * text format, other methods 405, a failed collection 500 with the reason as a comment.
 */
export function createRequestHandler(
  scrape: () => Promise<string>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    scrape().then(
      (body) => {
        response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': PROMETHEUS_CONTENT_TYPE });
        response.end(`# opmeter: metrics collection failed: ${String(error)}\n`);
      },
    );
  };
}
