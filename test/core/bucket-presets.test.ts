import { createServer } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  FetchInstrumentation,
  instrumentServer,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import {
  BatchInstrumentation,
  METRIC_BATCH_FILE_DURATION,
} from '../../instrumentations/batch/index.js';
import { CUSTOM_TIMING_PRESETS, CustomMetrics } from '../../instrumentations/custom/index.js';
import {
  EventInstrumentation,
  METRIC_EVENT_PROCESSING_DURATION,
} from '../../instrumentations/event/index.js';
import {
  METRIC_MODULE_OPERATION_DURATION,
  MODULE_OPERATION_DURATION_PRESETS,
  ModuleInstrumentation,
} from '../../instrumentations/module/index.js';
import {
  METRIC_NOTIFY_DURATION,
  NotifyInstrumentation,
} from '../../instrumentations/notify/index.js';
import {
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import {
  BATCH_FILE_DURATION_PRESETS,
  type BucketPresets,
  type DurationBuckets,
  EVENT_DURATION_PRESETS,
  HTTP_DURATION_PRESETS,
  InvalidBucketsError,
  NOTIFY_DURATION_PRESETS,
  WORKFLOW_DURATION_PRESETS,
} from '../../src/core/buckets.js';
import { close, listen } from '../api/support.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

/** The options every duration histogram takes, as far as buckets go. */
interface BucketOptions {
  buckets?: DurationBuckets;
  slo?: readonly number[];
}
type Provider = ReturnType<typeof createTestMeterProvider>;

interface Domain {
  name: string;
  metric: string;
  presets: BucketPresets;
  /** Creates the instrumentation with `options` and records one operation. */
  record(otel: Provider, options: BucketOptions): Promise<void>;
}

const DOMAINS: Domain[] = [
  {
    name: 'workflow',
    metric: METRIC_WORKFLOW_DURATION,
    presets: WORKFLOW_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      new WorkflowInstrumentation({ meterProvider, ...options }).start('W').end();
    },
  },
  {
    name: 'event',
    metric: METRIC_EVENT_PROCESSING_DURATION,
    presets: EVENT_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      new EventInstrumentation({ meterProvider, ...options }).start('order.created').end();
    },
  },
  {
    name: 'notify',
    metric: METRIC_NOTIFY_DURATION,
    presets: NOTIFY_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      new NotifyInstrumentation({ meterProvider, ...options })
        .start('N', { channel: 'email', recipients: 1 })
        .end();
    },
  },
  {
    name: 'batch',
    metric: METRIC_BATCH_FILE_DURATION,
    presets: BATCH_FILE_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      new BatchInstrumentation({ meterProvider, ...options })
        .start('B')
        .recordFile('x', { durationSeconds: 1, samples: 1, measurements: 1, bytes: 1 });
    },
  },
  {
    name: 'module',
    metric: METRIC_MODULE_OPERATION_DURATION,
    presets: MODULE_OPERATION_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      new ModuleInstrumentation({ meterProvider, module: 'dataimport', ...options })
        .start('import_file')
        .end();
    },
  },
  {
    name: 'api server',
    metric: METRIC_HTTP_SERVER_REQUEST_DURATION,
    presets: HTTP_DURATION_PRESETS,
    record: async ({ meterProvider }, options) => {
      const server = createServer((_req, res) => res.end('ok'));
      instrumentServer(server, new ApiInstrumentation({ meterProvider, ...options }), {
        route: () => '/',
      });
      await (await fetch(await listen(server))).text();
      await close(server);
    },
  },
  {
    name: 'fetch client',
    metric: METRIC_HTTP_CLIENT_REQUEST_DURATION,
    presets: HTTP_DURATION_PRESETS,
    record: async ({ meterProvider }, { buckets }) => {
      const client = new FetchInstrumentation({
        meterProvider,
        ...(buckets === undefined ? {} : { buckets }),
      });
      const server = createServer((_req, res) => res.end('ok'));
      await (await fetch(await listen(server))).text();
      client.disable();
      await close(server);
    },
  },
  {
    name: 'custom timing',
    metric: 'report.render',
    presets: CUSTOM_TIMING_PRESETS,
    record: async ({ meterProvider }, { buckets }) => {
      const timing = { kind: 'timing', ...(buckets === undefined ? {} : { buckets }) } as const;
      new CustomMetrics({ meterProvider, definitions: { 'report.render': timing } }).timing(
        'report.render',
        0.2,
      );
    },
  },
];
/** Domains whose duration histogram also takes `slo` thresholds. */
const WITH_SLO = new Set(['workflow', 'event', 'notify', 'batch', 'module', 'api server']);

async function boundaries(domain: Domain, options: BucketOptions): Promise<number[]> {
  const otel = createTestMeterProvider();
  await domain.record(otel, options);
  const point = (await otel.metric(domain.metric)).dataPoints[0]?.value as Histogram | undefined;
  return point?.buckets.boundaries ?? [];
}

describe.each(DOMAINS)('$name duration buckets', (domain) => {
  it("default to the 'default' preset, also when named", async () => {
    expect(await boundaries(domain, {})).toEqual(domain.presets.default);
    expect(await boundaries(domain, { buckets: 'default' })).toEqual(domain.presets.default);
  });

  it("'fine' selects the R10 preset", async () => {
    expect(await boundaries(domain, { buckets: 'fine' })).toEqual(domain.presets.fine);
  });

  it('an unknown preset name throws, saying which names exist', async () => {
    const unknown = { buckets: 'coarse' as DurationBuckets };
    await expect(domain.record(createTestMeterProvider(), unknown)).rejects.toThrow(
      InvalidBucketsError,
    );
    await expect(domain.record(createTestMeterProvider(), unknown)).rejects.toThrow(
      /unknown preset "coarse"; use 'default' or 'fine' or an array/,
    );
  });
});

describe.each(DOMAINS.filter(({ name }) => WITH_SLO.has(name)))('$name SLO edges', (domain) => {
  it('are added to either preset and to explicit boundaries', async () => {
    const slo = [0.0123, 77];
    for (const buckets of ['default', 'fine'] as const) {
      const out = await boundaries(domain, { buckets, slo });
      expect(out).toEqual([...new Set([...domain.presets[buckets], ...slo])].sort((a, b) => a - b));
    }
    expect(await boundaries(domain, { buckets: [1, 2], slo })).toEqual([0.0123, 1, 2, 77]);
  });
});
