import {
  type Attributes,
  createNoopMeter,
  type Meter,
  type MeterProvider,
  type MetricOptions,
  ValueType,
} from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { ApiInstrumentation, FetchInstrumentation } from '../../instrumentations/api/index.js';
import * as apiSemconv from '../../instrumentations/api/semconv.js';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import * as batchSemconv from '../../instrumentations/batch/semconv.js';
import * as customSemconv from '../../instrumentations/custom/semconv.js';
import { EventInstrumentation } from '../../instrumentations/event/index.js';
import * as eventSemconv from '../../instrumentations/event/semconv.js';
import { ModuleInstrumentation } from '../../instrumentations/module/index.js';
import * as moduleSemconv from '../../instrumentations/module/semconv.js';
import { NotifyInstrumentation } from '../../instrumentations/notify/index.js';
import * as notifySemconv from '../../instrumentations/notify/semconv.js';
import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import * as runtimeSemconv from '../../instrumentations/runtime/semconv.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import * as workflowSemconv from '../../instrumentations/workflow/semconv.js';
import * as selfSemconv from '../../src/core/self-metrics.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import * as defMetricSemconv from '../../src/def-metric/semconv.js';
import { prometheusName } from '../../src/sdk/index.js';

/** The shape of an instrument as the Prometheus name mapping sees it. */
export type InstrumentKind = 'counter' | 'updown' | 'gauge' | 'histogram';

/** One instrument some opmeter component created: its OTel name, unit and kind. */
export interface Instrument {
  name: string;
  unit: string;
  kind: InstrumentKind;
  /** Default bucket boundaries a histogram advises (`advice.explicitBucketBoundaries`). */
  boundaries?: readonly number[];
}

/** Every series name Prometheus can hold for opmeter's instruments, and where each comes from. */
export interface MetricCatalogue {
  instruments: Instrument[];
  /** Prometheus series names (`_bucket`/`_sum`/`_count` for histograms) → OTel instrument name. */
  seriesNames: Map<string, string>;
  /** Label names: every `ATTR_*` constant of the semconv modules, with dots as underscores. */
  attributeLabels: Set<string>;
  /** Default boundaries per histogram, by Prometheus base name (`workflow_duration_seconds`). */
  bucketEdges: Map<string, readonly number[]>;
}

/** Labels the SDK's Prometheus endpoint and Prometheus itself add to opmeter's series. */
export const SDK_AND_SCRAPE_LABELS: readonly string[] = [
  'job',
  'instance',
  'le',
  'otel_scope_name',
  'otel_scope_version',
  'otel_metric_overflow',
];

const SEMCONV_MODULES: readonly Record<string, unknown>[] = [
  workflowSemconv,
  eventSemconv,
  apiSemconv,
  notifySemconv,
  batchSemconv,
  moduleSemconv,
  runtimeSemconv,
  customSemconv,
  selfSemconv,
  defMetricSemconv,
];

/**
 * Creates every instrumentation and the def_metric writer on a meter provider that records each
 * instrument they create, then maps those instruments to Prometheus series names with the SDK's
 * own `prometheusName`. Unlike a scrape, this also sees instruments nothing has recorded on yet.
 */
export async function buildMetricCatalogue(): Promise<MetricCatalogue> {
  const instruments: Instrument[] = [];
  const meterProvider = recordingMeterProvider(instruments);
  const wiring = { meterProvider };
  new WorkflowInstrumentation(wiring);
  const events = new EventInstrumentation(wiring);
  events.observeQueueDepth(() => 0);
  events.observeConnections(() => 0);
  new ApiInstrumentation({ ...wiring, bodySizeMetrics: true });
  new FetchInstrumentation({ ...wiring, enabled: false });
  new NotifyInstrumentation(wiring);
  new BatchInstrumentation(wiring);
  new ModuleInstrumentation({ ...wiring, module: 'dataimport' });
  new RuntimeInstrumentation({ ...wiring, enabled: false });
  const writer = createDefMetricWriter({ url: 'sqlite::memory:', meterProvider });
  await writer.close({ deadlineMs: 1000 });

  const seriesNames = new Map<string, string>();
  const bucketEdges = new Map<string, readonly number[]>();
  for (const instrument of instruments) {
    const { name } = prometheusName(metricData(instrument));
    if (instrument.boundaries !== undefined) bucketEdges.set(name, instrument.boundaries);
    const names =
      instrument.kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    for (const series of names) seriesNames.set(series, instrument.name);
  }
  const attributeLabels = new Set<string>();
  for (const module of SEMCONV_MODULES) {
    for (const [key, value] of Object.entries(module)) {
      if (key.startsWith('ATTR_') && typeof value === 'string') {
        attributeLabels.add(value.replaceAll('.', '_'));
      }
    }
  }
  return { instruments, seriesNames, attributeLabels, bucketEdges };
}

function metricData({ name, unit, kind }: Instrument): MetricData {
  const base = {
    descriptor: { name, unit, description: '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints: [],
  };
  if (kind === 'histogram') return { ...base, dataPointType: DataPointType.HISTOGRAM };
  if (kind === 'gauge') return { ...base, dataPointType: DataPointType.GAUGE };
  return { ...base, dataPointType: DataPointType.SUM, isMonotonic: kind === 'counter' };
}

function recordingMeterProvider(into: Instrument[]): MeterProvider {
  const noop = createNoopMeter();
  const seen = (name: string, options: MetricOptions | undefined, kind: InstrumentKind) => {
    const boundaries = options?.advice?.explicitBucketBoundaries;
    into.push({ name, unit: options?.unit ?? '', kind, ...(boundaries && { boundaries }) });
  };
  const meter: Meter = {
    createGauge: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'gauge');
      return noop.createGauge<A>(name, options);
    },
    createHistogram: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'histogram');
      return noop.createHistogram<A>(name, options);
    },
    createCounter: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'counter');
      return noop.createCounter<A>(name, options);
    },
    createUpDownCounter: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'updown');
      return noop.createUpDownCounter<A>(name, options);
    },
    createObservableGauge: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'gauge');
      return noop.createObservableGauge<A>(name, options);
    },
    createObservableCounter: <A extends Attributes>(name: string, options?: MetricOptions) => {
      seen(name, options, 'counter');
      return noop.createObservableCounter<A>(name, options);
    },
    createObservableUpDownCounter: <A extends Attributes>(
      name: string,
      options?: MetricOptions,
    ) => {
      seen(name, options, 'updown');
      return noop.createObservableUpDownCounter<A>(name, options);
    },
    addBatchObservableCallback: (callback, observables) =>
      noop.addBatchObservableCallback(callback, observables),
    removeBatchObservableCallback: (callback, observables) =>
      noop.removeBatchObservableCallback(callback, observables),
  };
  return { getMeter: () => meter };
}
