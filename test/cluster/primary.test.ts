import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClusterPrimaryHandle,
  ClusterWorkerReader,
  sealReport,
  startClusterPrimary,
  THREAD_CHANNEL,
} from '../../src/cluster/index.js';
import { OpmeterConfigError } from '../../src/core/config-error.js';
import { parseExposition } from '../support/exposition-parser.js';
import { metric, report } from './reports.js';

function gauge(value: number) {
  return { ...metric('gauge', [{ a: {}, v: value }], 'queue.depth'), unit: '{job}' };
}

function sample(text: string, name: string, labels: Record<string, string> = {}) {
  return parseExposition(text).samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

async function until(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('startClusterPrimary', () => {
  let primary: ClusterPrimaryHandle | undefined;
  const channel = new BroadcastChannel(THREAD_CHANNEL);
  afterEach(async () => {
    await primary?.shutdown();
    primary = undefined;
  });

  it('rejects an unknown gauge policy, saying which ones exist', async () => {
    await expect(
      startClusterPrimary({ registerGlobal: false, gaugePolicies: { x: 'avg' as 'sum' } }),
    ).rejects.toThrow(
      new OpmeterConfigError('gaugePolicies.x is "avg": use one of last, sum, max, min, worker'),
    );
  });

  it('rejects bounds that are not whole numbers in range, naming the option', async () => {
    await expect(startClusterPrimary({ registerGlobal: false, intervalMs: 5 })).rejects.toThrow(
      'intervalMs is 5: expected a whole number between 10 and 2147483647',
    );
    await expect(
      startClusterPrimary({ registerGlobal: false, maxSeriesPerMetric: 0 }),
    ).rejects.toThrow(OpmeterConfigError);
    const transport = { source: 't', send: () => true, listen: () => () => undefined, close() {} };
    expect(() => new ClusterWorkerReader({ maxMessageBytes: 100, transport })).toThrow(
      'cluster worker maxMessageBytes is 100: expected a whole number between 4096 and 1073741824',
    );
  });

  it('sums a gauge over two threads, drops a silent one after three intervals, refuses oversized reports', async () => {
    primary = await startClusterPrimary({
      prometheus: { mode: 'handler', scopeLabels: false },
      registerGlobal: false,
      resourceDetectors: [],
      intervalMs: 50,
      gaugePolicies: { 'queue.depth': 'sum' },
      maxMessageBytes: 4096,
    });
    const scrape = primary.prometheus?.scrape ?? (async () => '');
    channel.postMessage(report([gauge(3)], 'thread:1/1'));
    const second = report([gauge(4)], 'thread:1/2');
    channel.postMessage(second);
    await until(async () => sample(await scrape(), 'queue_depth') === 7);
    expect(primary.reportingWorkers().sort()).toEqual(['thread:1/1', 'thread:1/2']);

    // Only thread 2 keeps reporting: thread 1's value goes once it has been silent 3 intervals.
    const keepAlive = setInterval(
      () => channel.postMessage(sealReport('thread:1/2', 2, second.epoch, [])),
      20,
    );
    try {
      await until(async () => sample(await scrape(), 'queue_depth') === 4);
      expect(primary.reportingWorkers()).toEqual(['thread:1/2']);
    } finally {
      clearInterval(keepAlive);
    }

    const big = gauge(1);
    big.points = Array.from({ length: 400 }, (_, i) => ({ a: { id: i }, v: i }));
    channel.postMessage(report([big], 'thread:1/3'));
    await until(
      async () =>
        sample(await scrape(), 'opmeter_cluster_refused_total', {
          opmeter_cluster_reason: 'too_large',
        }) === 1,
    );
    expect(sample(await scrape(), 'queue_depth', { id: '5' })).toBeUndefined();
    channel.close();
  });
});
