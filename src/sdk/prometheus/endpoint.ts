import { diag, type Meter } from '@opentelemetry/api';
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ExpositionEngine } from './exposition/engine.js';
import type { ExemplarSource } from './exposition/exemplars.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT } from './exposition/format.js';
import { createRequestHandler, type RequestHandler, type ScrapeLimits } from './handler.js';
import { ScrapeSelfMetrics } from './self-metrics.js';
import { SharedRenderings } from './shared-renderings.js';

/** Meter of the endpoint's self-metrics (`opmeter.prometheus.*`). */
export const PROMETHEUS_METER_NAME = 'opmeter/prometheus';

/** Settings of a {@link createPrometheusEndpoint}. */
export interface EndpointSettings extends ScrapeLimits {
  /** Add `otel_scope_name` / `otel_scope_version` labels to every series. */
  scopeLabels: boolean;
  /** Exemplars for OpenMetrics bucket and counter lines. */
  exemplars?: ExemplarSource;
}

/** Options of one scrape without HTTP. */
export interface ScrapeOptions {
  /** `text` (0.0.4, the default) or `openmetrics` (1.0.0). */
  format?: 'text' | 'openmetrics';
}

/** The request handler and the HTTP-less scrape of one Prometheus endpoint. */
export interface PrometheusEndpointParts {
  requestHandler: RequestHandler;
  scrape(options?: ScrapeOptions): Promise<string>;
  /**
   * Stops the endpoint before its reader shuts down: from then on, and for scrapes still
   * collecting, the handler answers 503 and `scrape()` rejects with `EndpointStoppedError`.
   */
  stop(): void;
}

/**
 * Wires a pull reader (or anything with a reader's `collect()`, such as the cluster primary's
 * merged state) to opmeter's exposition engine: one shared collection per concurrent scrapes,
 * the request handler with its limits, and the self-metrics recorded on `meter`.
 */
export function createPrometheusEndpoint(
  reader: Pick<MetricReader, 'collect'>,
  meter: Meter,
  settings: EndpointSettings,
): PrometheusEndpointParts {
  const metrics = new ScrapeSelfMetrics(meter);
  const engine = new ExpositionEngine({
    scopeLabels: settings.scopeLabels,
    exemplars: settings.exemplars,
    onAdjusted: (adjustment) => metrics.adjusted(adjustment),
  });
  const collect = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await reader.collect({
      timeoutMillis: settings.timeoutMs,
    });
    if (errors.length > 0) diag.error('opmeter: errors while collecting metrics', ...errors);
    return resourceMetrics;
  };
  const renderings = new SharedRenderings(collect, engine, (rendering) =>
    metrics.rendered(rendering),
  );
  return {
    requestHandler: createRequestHandler(renderings, settings, metrics),
    scrape: async ({ format = 'text' } = {}) => {
      const chosen = format === 'openmetrics' ? OPENMETRICS_FORMAT : TEXT_FORMAT;
      return joined((await renderings.rendering(chosen)).chunks);
    },
    stop: () => renderings.stop(),
  };
}

/** The chunks of a rendering as one string (a rope: joining them copies nothing). */
function joined(chunks: readonly string[]): string {
  let text = '';
  for (const chunk of chunks) text += chunk;
  return text;
}
