import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ExpositionEngine } from '../../src/sdk/prometheus/exposition/engine.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT } from '../../src/sdk/prometheus/exposition/format.js';
import { SharedRenderings } from '../../src/sdk/prometheus/shared-renderings.js';
import { TestMetricReader } from '../support/metric-reader.js';

/** A collection of `series` counter series, and a counter of how often it was collected. */
function source(series: number) {
  const reader = new TestMetricReader();
  const counter = new MeterProvider({ readers: [reader] }).getMeter('m').createCounter('c');
  for (let i = 0; i < series; i++) counter.add(1, { i: String(i) });
  let collections = 0;
  const collect = async (): Promise<ResourceMetrics> => {
    collections++;
    return (await reader.collect()).resourceMetrics;
  };
  return { collect, collections: () => collections };
}

/** Shared renderings of {@link source}, sliced after every series. */
function shared(series: number) {
  const { collect, collections } = source(series);
  const engine = new ExpositionEngine({ scopeLabels: false, sliceMs: 0 });
  return { renderings: new SharedRenderings(collect, engine, () => {}), collections };
}

describe('shared renderings', () => {
  it('stops rendering at the next slice once its signal is aborted', async () => {
    const { collect } = source(2000);
    const engine = new ExpositionEngine({ scopeLabels: false, sliceMs: 0 });
    const abort = new AbortController();

    const rendering = engine.render(await collect(), TEXT_FORMAT, abort.signal);
    abort.abort(new Error('gave up'));

    await expect(rendering).rejects.toThrow('gave up');
  });

  it('abandons a rendering nobody waits for, and starts a fresh one for the next request', async () => {
    const { renderings, collections } = shared(2000);
    const abort = new AbortController();

    const first = renderings.rendering(TEXT_FORMAT, abort.signal);
    abort.abort(new Error('timed out'));
    await expect(first).rejects.toThrow('timed out');
    const second = await renderings.rendering(TEXT_FORMAT);

    expect(second.series).toBe(2001); // 2000 series and target_info
    expect(collections()).toBe(1);
  });

  it('keeps a rendering going while another request still waits for it', async () => {
    const { renderings, collections } = shared(2000);
    const abort = new AbortController();

    const leaving = renderings.rendering(OPENMETRICS_FORMAT, abort.signal);
    const staying = renderings.rendering(OPENMETRICS_FORMAT);
    abort.abort(new Error('client closed the connection'));

    await expect(leaving).rejects.toThrow('client closed');
    expect((await staying).series).toBe(2001);
    expect(collections()).toBe(1);
  });
});
