import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, request as httpRequest } from 'node:http';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  FASTIFY_CONFIG_KEY,
  FetchInstrumentation,
  fastifyPlugin,
  instrumentServer,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  setEndpoint,
  setRoute,
  UNDICI_CHANNELS,
} from '../../instrumentations/api/index.js';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import { CustomMetrics, MAX_TAGS } from '../../instrumentations/custom/index.js';
import { EventInstrumentation } from '../../instrumentations/event/index.js';
import { ModuleInstrumentation } from '../../instrumentations/module/index.js';
import { NotifyInstrumentation } from '../../instrumentations/notify/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import {
  ADJUSTMENT_UNREADABLE,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
} from '../../src/core/self-metrics.js';
import { setRecordingEnabled } from '../../src/core/switch.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { close, listen } from '../api/support.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

/** Every option, result and tag key any entry point reads, plus one tag. */
const KEYS = [
  ...['package', 'mode', 'name', 'channel', 'recipients', 'queueDepth', 'code', 'target'],
  ...['itemsOf', 'samplesOf', 'id', 'totalFiles', 'maxRetainedFiles', 'progress', 'bytes'],
  ...['status', 'durationSeconds', 'measurements', 'samples', 'peakMemoryBytes'],
  ...['errorMessage', 'error', 'errorType', 'operations', 'maxOperations', 'enabled', 'tag'],
  ...['origin', 'method', 'statusCode'],
];

const explode = (): never => {
  throw new Error('hostile input');
};

/** A value no conversion works on: `String()`, `+x` and template literals all throw. */
const unprintable = (): object => ({
  toString: explode,
  valueOf: explode,
  [Symbol.toPrimitive]: explode,
});

const withEveryKey = (value: (self: object) => unknown, target: object = {}): object => {
  for (const key of KEYS) (target as Record<string, unknown>)[key] = value(target);
  return target;
};

interface Kind {
  readonly make: () => unknown;
  /** Reading its properties throws: the call is counted `unreadable`. */
  readonly unreadable: boolean;
  /** Listing its keys throws (but reading one by name does not). */
  readonly unlistable?: boolean;
}

const KINDS: Record<string, Kind> = {
  'throwing getters': {
    unreadable: true,
    make: () => {
      const object = {};
      for (const key of KEYS)
        Object.defineProperty(object, key, { get: explode, enumerable: true });
      return object;
    },
  },
  'a revoked Proxy': {
    unreadable: true,
    make: () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    },
  },
  'a Proxy whose get throws': {
    unreadable: true,
    make: () =>
      new Proxy(
        withEveryKey(() => 'v'),
        { get: explode },
      ),
  },
  'a Proxy whose ownKeys throws': {
    unreadable: false,
    unlistable: true,
    make: () => new Proxy({}, { ownKeys: explode }),
  },
  'a null prototype': {
    unreadable: false,
    make: () => Object.assign(Object.create(null), { package: 'nullproto', tag: 'v' }),
  },
  'values whose conversions throw': { unreadable: false, make: () => withEveryKey(unprintable) },
  'Symbol values': { unreadable: false, make: () => withEveryKey(() => Symbol('hostile')) },
  'BigInt values': { unreadable: false, make: () => withEveryKey(() => 5n) },
  'circular values': { unreadable: false, make: () => withEveryKey((self) => self) },
  'an array': { unreadable: false, make: () => ['package', 'tag'] },
  '100,000 keys': {
    unreadable: false,
    make: () => {
      const huge: Record<string, string> = {};
      for (let i = 0; i < 100_000; i++) huge[`k${i}`] = 'v';
      return huge;
    },
  },
};

function targets() {
  const otel = createTestMeterProvider();
  const stats = new SessionStats();
  const options = { meterProvider: otel.meterProvider, stats };
  /** `opmeter.input.adjusted` points counted `unreadable`, summed over every field and domain. */
  const unreadable = async (): Promise<number> => {
    const adjusted = (await otel.metrics()).get(METRIC_OPMETER_INPUT_ADJUSTED);
    const points = (adjusted?.dataPoints ?? []) as DataPoint<number>[];
    return points
      .filter((p) => p.attributes[ATTR_OPMETER_REASON] === ADJUSTMENT_UNREADABLE)
      .reduce((sum, p) => sum + p.value, 0);
  };
  const operations = (): number => stats.snapshot().totals.operations;
  return { ...otel, stats, options, unreadable, operations };
}

type Targets = ReturnType<typeof targets>;

interface EntryPoint {
  /** Calls the entry point with `hostile` where it takes an object; may return a promise. */
  readonly call: (t: Targets, hostile: never) => unknown;
  /** How many operations the call records (default 1). */
  readonly records?: number;
  /** How many operations it recorded, when not in the session statistics. */
  readonly recorded?: (t: Targets) => Promise<number>;
  /** Whether the entry point lists the object's keys (tags) rather than reading named ones. */
  readonly lists?: boolean;
  /** Checks beyond "recorded and counted" (memory bounds). */
  readonly check?: (t: Targets, kind: string) => unknown;
}

const noop = (): number => 1;

const ENTRY_POINTS: Record<string, EntryPoint> = {
  'workflow.start': { call: (t, o) => new WorkflowInstrumentation(t.options).start('W', o).end() },
  'workflow.run': { call: (t, o) => new WorkflowInstrumentation(t.options).run('W', noop, o) },
  'workflow.wrap': { call: (t, o) => new WorkflowInstrumentation(t.options).wrap('W', noop, o)() },
  'event.run': { call: (t, o) => new EventInstrumentation(t.options).run('E', noop, o) },
  'event.wrap': { call: (t, o) => new EventInstrumentation(t.options).wrap('E', noop, o)() },
  'notify.start': { call: (t, o) => new NotifyInstrumentation(t.options).start('N', o).end() },
  'notify.run': { call: (t, o) => new NotifyInstrumentation(t.options).run('N', noop, o) },
  'notify.recordQueueDepth': {
    records: 0,
    call: (t, o) => new NotifyInstrumentation(t.options).recordQueueDepth(3, o),
  },
  'batch.start': {
    call: (t, o) => new BatchInstrumentation(t.options).start('B', o).file('f', noop),
  },
  'batch.startFile': {
    call: (t, o) => new BatchInstrumentation(t.options).start('B').startFile('f', o).end(),
  },
  'batch.file': {
    call: (t, o) => new BatchInstrumentation(t.options).start('B').file('f', noop, o),
  },
  'batch.recordFile': {
    call: (t, o) => new BatchInstrumentation(t.options).start('B').recordFile('f', o),
  },
  'module.start': {
    call: (t, o) => new ModuleInstrumentation({ ...t.options, module: 'm' }).start('op', o).end(),
  },
  'module.run': {
    call: (t, o) => new ModuleInstrumentation({ ...t.options, module: 'm' }).run('op', noop, o),
  },
  'handle.endMeasured': {
    call: (t, o) => new WorkflowInstrumentation(t.options).start('W').endMeasured(o),
  },
  'api setEndpoint and setRoute': { call: (t, o) => serveOnce(t, o) },
  'api Fastify route config': { call: (t, o) => fastifyOnce(t, o) },
  'custom.increment': customRow('c', (c, o) => c.increment('c', 1, o)),
  'custom.upDown': customRow('u', (c, o) => c.upDown('u', -1, o)),
  'custom.gauge': customRow('g', (c, o) => c.gauge('g', 2, o)),
  'custom.timing': customRow('t', (c, o) => c.timing('t', 0.1, o)),
  'custom.items': customRow('i', (c, o) => c.items('i', 3, o)),
  'custom.timer': customRow('t', (c, o) => c.timer('t', o)()),
  'custom.time': customRow('t', (c, o) => c.time('t', noop, o)),
  'custom.observe': customRow('o', (c, o) => c.observe('o', () => [{ value: 1, tags: o }])),
};

/** The custom facade on the targets' provider. */
function custom(t: Targets): CustomMetrics {
  return new CustomMetrics({ meterProvider: t.meterProvider });
}

/** Series recorded on the custom metric `name`, and how many attributes each has. */
async function customSeries(t: Targets, name: string): Promise<number[]> {
  const metric = (await t.metrics()).get(name);
  return metric?.dataPoints.map((p) => Object.keys(p.attributes).length) ?? [];
}

/** A custom facade row: `call` records on `name`; one series, at most {@link MAX_TAGS} tags. */
function customRow(name: string, call: (c: CustomMetrics, tags: never) => unknown): EntryPoint {
  return {
    lists: true,
    call: (t, o) => call(custom(t), o),
    recorded: async (t) => (await customSeries(t, name)).length,
    check: async (t, kind) => {
      const [tags] = await customSeries(t, name);
      if (kind === '100,000 keys') expect(tags).toBe(MAX_TAGS);
      else expect(tags).toBeLessThanOrEqual(KEYS.length);
    },
  };
}

/** One request to a server whose handler gives `hostile` as the endpoint and the route. */
async function serveOnce(t: Targets, hostile: never): Promise<void> {
  const api = new ApiInstrumentation(t.options);
  const server = createServer((req, res) => {
    setEndpoint(req, hostile);
    setRoute(req, hostile);
    res.end('ok');
  });
  instrumentServer(server, api);
  const base = await listen(server);
  await new Promise<void>((resolve, reject) => {
    httpRequest(`${base}/x`, { agent: false }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end();
  });
  const deadline = Date.now() + 2000;
  while (t.operations() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await close(server);
}

/** One request to a Fastify route whose `config.opmeter` is `hostile`. */
async function fastifyOnce(t: Targets, hostile: never): Promise<void> {
  const app = Fastify();
  await app.register(fastifyPlugin(new ApiInstrumentation(t.options)));
  app.get('/x', { config: { [FASTIFY_CONFIG_KEY]: hostile } }, async () => 'ok');
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  expect((await fetch(`${base}/x`)).status).toBe(200);
  const deadline = Date.now() + 2000;
  while (t.operations() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await app.close();
}

afterEach(() => setRecordingEnabled(true));

describe('hostile option, result and tag objects at every entry point', () => {
  const rows = Object.entries(ENTRY_POINTS).flatMap(([entry, point]) =>
    Object.entries(KINDS).map(([kind, spec]) => [entry, kind, point, spec] as const),
  );

  it.each(rows)(
    '%s with %s: no throw, recorded, unreadable counted',
    async (_, kind, point, spec) => {
      const t = targets();
      let result: unknown;
      expect(() => {
        result = point.call(t, spec.make() as never);
      }).not.toThrow();
      await result;

      const recorded = point.recorded === undefined ? t.operations() : await point.recorded(t);
      expect(recorded).toBe(point.records ?? 1);
      const counted = spec.unreadable || (spec.unlistable === true && point.lists === true);
      if (counted) expect(await t.unreadable()).toBeGreaterThanOrEqual(1);
      else expect(await t.unreadable()).toBe(0);
      await point.check?.(t, kind);
    },
  );
});

describe('the fetch client given hostile undici messages', () => {
  it.each(Object.entries(KINDS))(
    'a request of %s: no throw, no uncaught error',
    async (_, spec) => {
      const t = targets();
      const client = new FetchInstrumentation({ meterProvider: t.meterProvider });
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const request = spec.make();
        for (const channel of Object.values(UNDICI_CHANNELS)) {
          expect(() =>
            diagnosticsChannel
              .channel(channel)
              .publish({ request, response: request, error: request }),
          ).not.toThrow();
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(uncaught).toEqual([]);
        const duration = (await t.metrics()).get(METRIC_HTTP_CLIENT_REQUEST_DURATION);
        if (spec.unreadable) {
          expect(await t.unreadable()).toBe(1);
          expect(duration).toBeUndefined();
        } else {
          expect(duration?.dataPoints).toHaveLength(1);
        }
      } finally {
        process.off('uncaughtException', onUncaught);
        client.disable();
      }
    },
  );
});

describe('SessionStats given hostile options and states', () => {
  it.each(Object.entries(KINDS))(
    '%s: constructed with defaults, merged without a throw',
    (_, spec) => {
      let stats: SessionStats | undefined;
      expect(() => {
        stats = new SessionStats(spec.make() as never);
      }).not.toThrow();
      const session = stats as SessionStats;
      session.record('workflow', 'KEPT', 1, 1, true);
      expect(() => session.merge(spec.make() as never)).not.toThrow();
      expect(() => session.merge({ operations: [spec.make() as never] })).not.toThrow();
      const snapshot = session.snapshot();
      expect(snapshot.operations.find((o) => o.operation === 'KEPT')?.operations).toBe(1);
      expect(() => session.format()).not.toThrow();
      for (const operation of snapshot.operations) {
        expect(Number.isFinite(operation.totalSeconds)).toBe(true);
        expect(typeof operation.domain).toBe('string');
      }
    },
  );
});
