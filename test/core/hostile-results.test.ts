import { describe, expect, it } from 'vitest';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import {
  ADJUSTMENT_UNREADABLE_THEN,
  ATTR_OPMETER_FIELD,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
} from '../../src/core/self-metrics.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

function setup() {
  const otel = createTestMeterProvider();
  const stats = new SessionStats();
  const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider, stats });
  const unreadable = async () =>
    (
      await otel.point(METRIC_OPMETER_INPUT_ADJUSTED, {
        [ATTR_OPMETER_FIELD]: 'result',
        [ATTR_OPMETER_REASON]: ADJUSTMENT_UNREADABLE_THEN,
      })
    ).value;
  return { workflows, stats, unreadable };
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwingGetter = (): object => ({
  // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is what this test feeds opmeter
  get then(): never {
    throw new Error('then getter exploded');
  },
});

const throwingThen = (): object => ({
  // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is what this test feeds opmeter
  then(): never {
    throw new Error('then exploded');
  },
});

describe('results whose then cannot be read or called', () => {
  it.each([
    ['a throwing then getter', throwingGetter],
    ['a revoked Proxy', revokedProxy],
  ])(
    '%s: run() returns the value unchanged, the run ends as a failure and is counted',
    async (_, make) => {
      const { workflows, stats, unreadable } = setup();
      const value = make();

      let returned: unknown;
      expect(() => {
        returned = workflows.run('HOSTILE', () => value);
      }).not.toThrow();

      expect(returned).toBe(value);
      const [operation] = stats.snapshot().operations;
      expect(operation).toMatchObject({ operation: 'HOSTILE', operations: 1, errors: 1 });
      expect(await unreadable()).toBe(1);
    },
  );

  it('a then that throws when called: run() gives a promise that rejects with it, the run fails', async () => {
    const { workflows, stats } = setup();
    const returned = workflows.run('THROWING_THEN', throwingThen) as unknown as Promise<unknown>;
    await expect(returned).rejects.toThrow('then exploded');
    expect(stats.snapshot().operations[0]).toMatchObject({ operations: 1, errors: 1 });
  });

  it('a thenable that settles later, twice, then rejects: one success, its value, no crash', async () => {
    const { workflows, stats } = setup();
    const unruly = {
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is what this test feeds opmeter
      then(ok: (value: number) => void, bad: (error: Error) => void): undefined {
        setTimeout(() => {
          ok(7);
          ok(8);
          bad(new Error('late'));
        }, 5);
        return undefined;
      },
    };
    expect(await workflows.run('UNRULY', () => unruly)).toBe(7);
    expect(stats.snapshot().operations[0]).toMatchObject({ operations: 1, errors: 0 });
  });

  it('a function with a then is awaited like any thenable', async () => {
    const { workflows, stats } = setup();
    const deferred = Object.assign(() => 0, {
      // biome-ignore lint/suspicious/noThenProperty: a thenable function is what this test feeds opmeter
      then: (ok: (value: number) => void) => setTimeout(() => ok(5), 20),
    });
    expect(await workflows.run('FUNCTION_THENABLE', () => deferred)).toBe(5);
    expect(stats.snapshot().operations[0]?.totalSeconds).toBeGreaterThan(0.01);
  });

  it('wrap() ends the run as a failure too, without throwing', () => {
    const { workflows, stats } = setup();
    const wrapped = workflows.wrap('WRAPPED', throwingGetter);
    expect(() => wrapped()).not.toThrow();
    expect(stats.snapshot().operations[0]).toMatchObject({
      operation: 'WRAPPED',
      operations: 1,
      errors: 1,
    });
  });
});

describe('CustomMetrics.time() given hostile results, as run() is', () => {
  function timed() {
    const otel = createTestMeterProvider();
    const custom = new CustomMetrics({ meterProvider: otel.meterProvider });
    const timings = async () => {
      const point = await otel.point<{ count: number }>('render');
      return point.value.count;
    };
    const unreadable = async () =>
      (
        await otel.point(METRIC_OPMETER_INPUT_ADJUSTED, {
          [ATTR_OPMETER_FIELD]: 'result',
          [ATTR_OPMETER_REASON]: ADJUSTMENT_UNREADABLE_THEN,
        })
      ).value;
    return { custom, timings, unreadable };
  }

  it.each([
    ['a throwing then getter', throwingGetter],
    ['a revoked Proxy', revokedProxy],
  ])('%s: returned unchanged, the timing recorded, counted', async (_, make) => {
    const { custom, timings, unreadable } = timed();
    const value = make();
    let returned: unknown;
    expect(() => {
      returned = custom.time('render', () => value);
    }).not.toThrow();
    expect(returned).toBe(value);
    expect(await timings()).toBe(1);
    expect(await unreadable()).toBe(1);
  });

  it('a then that throws when called: a promise that rejects with it, the timing recorded once', async () => {
    const { custom, timings } = timed();
    const returned = custom.time('render', throwingThen) as unknown as Promise<unknown>;
    await expect(returned).rejects.toThrow('then exploded');
    expect(await timings()).toBe(1);
  });

  it('a function with a then is awaited like any thenable', async () => {
    const { custom, timings } = timed();
    const deferred = Object.assign(() => 0, {
      // biome-ignore lint/suspicious/noThenProperty: a thenable function is what this test feeds opmeter
      then: (ok: (value: number) => void) => setTimeout(() => ok(5), 5),
    });
    expect(await custom.time('render', () => deferred)).toBe(5);
    expect(await timings()).toBe(1);
  });
});

describe('SessionStats used directly with hostile values', () => {
  it('counts BigInt, throwing valueOf and non-number figures as 0, and prints any domain', () => {
    const stats = new SessionStats();
    const hostile = {
      valueOf(): never {
        throw new Error('valueOf exploded');
      },
      toString(): never {
        throw new Error('toString exploded');
      },
    };
    const record = stats.record.bind(stats) as (...args: unknown[]) => void;
    expect(() => {
      record('workflow', 'BIG', 5n, 7n, true);
      record('workflow', 'VALUEOF', hostile, hostile, true);
      record(42, hostile, 1, 2, 'yes');
    }).not.toThrow();

    const operations = stats.snapshot().operations;
    expect(
      operations.map((o) => [o.domain, o.operation, o.totalSeconds, o.items, o.errors]),
    ).toEqual([
      ['42', '_UNPRINTABLE', 1, 2, 1],
      ['workflow', 'BIG', 0, 0, 0],
      ['workflow', 'VALUEOF', 0, 0, 0],
    ]);
    expect(() => stats.format()).not.toThrow();
  });
});
