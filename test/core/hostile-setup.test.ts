import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  expressErrorRecorder,
  expressMiddleware,
  FetchInstrumentation,
  fastifyPlugin,
  instrumentServer,
  markCacheHit,
  recordError,
  setRoute,
} from '../../instrumentations/api/index.js';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import {
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { InvalidBucketsError, OpmeterConfigError } from '../../src/index.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, verbose() {} };

/** A request object every read of which throws, as a revoked Proxy does. */
function revokedRequest(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('set-up mistakes are refused at set-up, with what to pass', () => {
  const meterProvider = createTestMeterProvider().meterProvider;

  it.each([
    ['instrumentServer', () => instrumentServer(createServer(), {} as never)],
    ['expressMiddleware', () => expressMiddleware(undefined as never)],
    ['fastifyPlugin', () => fastifyPlugin(5 as never)],
  ])('%s refuses an api that is not an ApiInstrumentation', (call, setUp) => {
    expect(setUp).toThrow(OpmeterConfigError);
    expect(setUp).toThrow(`${call}`);
    expect(setUp).toThrow('api must be an ApiInstrumentation');
  });

  it.each([
    ['ApiInstrumentation', () => new ApiInstrumentation({ durationMetricName: 5 as never })],
    ['ApiInstrumentation', () => new ApiInstrumentation({ durationMetricName: '' })],
    ['FetchInstrumentation', () => new FetchInstrumentation({ durationMetricName: 'a b' })],
  ])('%s refuses a duration name no exposition could carry', (owner, build) => {
    expect(build).toThrow(OpmeterConfigError);
    expect(build).toThrow(`${owner}: durationMetricName`);
  });

  it('refuses knownMethods that is not a list of method names, and an slo that is not a list', () => {
    expect(() => new ApiInstrumentation({ knownMethods: 'GET' as never })).toThrow(
      "knownMethods must be an array of HTTP method names such as ['GET', 'POST'], got string",
    );
    expect(() => new FetchInstrumentation({ knownMethods: ['GET', 5] as never })).toThrow(
      OpmeterConfigError,
    );
    expect(() => new WorkflowInstrumentation({ meterProvider, slo: 0.3 as never })).toThrow(
      InvalidBucketsError,
    );
  });

  it('refuses a runtime sampling interval past what a Node timer takes', () => {
    expect(() => new RuntimeInstrumentation({ eventLoopDelayResolutionMs: 2 ** 40 })).toThrow(
      'eventLoopDelayResolutionMs must be a positive integer of at most 2147483647',
    );
  });
});

describe('what runs per request or operation never throws into the application', () => {
  it('the request helpers take a request that cannot be read as none', () => {
    const req = revokedRequest();
    expect(markCacheHit(req)).toBe(false);
    expect(setRoute(req, '/x')).toBe(false);
    expect(recordError(req, new Error('x'))).toBe(false);
    let passed: unknown = 'not called';
    expressErrorRecorder()(new Error('boom'), req as never, {} as never, (error) => {
      passed = error;
    });
    expect((passed as Error).message).toBe('boom');
  });

  it('a native promise given a throwing then of its own is awaited as await would', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    const own = Promise.resolve(5);
    Object.defineProperty(own, 'then', {
      value: () => {
        throw new Error('own then');
      },
    });
    const result = workflows.run('OWN_THEN', () => own);
    expect(await Promise.prototype.then.call(result, (v: unknown) => v)).toBe(5);
    const point = await otel.point(METRIC_WORKFLOW_DURATION, { 'workflow.code': 'OWN_THEN' });
    expect(point.attributes.outcome).toBe('success');
  });

  it('the Express middleware warns once, not per request, for a prototype it cannot patch', () => {
    const api = new ApiInstrumentation({ meterProvider: createTestMeterProvider().meterProvider });
    const middleware = expressMiddleware(api);
    const proto = Object.freeze(Object.create(IncomingMessage.prototype));
    const warnings: unknown[] = [];
    diag.setLogger(
      { ...silentLogger, warn: (...args) => warnings.push(args[0]) },
      DiagLogLevel.WARN,
    );
    try {
      for (let i = 0; i < 3; i++) {
        const req = Object.assign(Object.create(proto), { app: {}, method: 'GET', headers: {} });
        let nexted = false;
        middleware(req, new ServerResponse(new IncomingMessage(new Socket())), () => {
          nexted = true;
        });
        expect(nexted).toBe(true);
      }
    } finally {
      diag.disable();
    }
    expect(warnings.filter((w) => String(w).includes('could not follow the routes'))).toHaveLength(
      1,
    );
  });

  it('endWith() takes any value for success, truthy being success', async () => {
    const otel = createTestMeterProvider();
    const workflows = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    workflows.start('ONE').endWith(1 as never);
    workflows.start('ZERO').endWith(0 as never);
    const one = await otel.point(METRIC_WORKFLOW_DURATION, { 'workflow.code': 'ONE' });
    const zero = await otel.point(METRIC_WORKFLOW_DURATION, { 'workflow.code': 'ZERO' });
    expect(one.attributes.outcome).toBe('success');
    expect(zero.attributes.outcome).toBe('failure');
  });

  it('a batch progress stream whose write throws stops drawing; finish() still returns the summary', () => {
    const batches = new BatchInstrumentation({
      meterProvider: createTestMeterProvider().meterProvider,
    });
    const stream = {
      isTTY: true,
      write(): never {
        throw new Error('EPIPE');
      },
    };
    const job = batches.start('PIPE', { totalFiles: 1, progress: { stream, intervalMs: 1 } });
    job.recordFile('a.csv', { durationSeconds: 0.1 });
    expect(job.finish()).toMatchObject({ files: { total: 1 } });
  });
});
