import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { measuringDecorator } from '../../src/core/decorate.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

describe('method decorators', () => {
  const workflows = new WorkflowInstrumentation({
    meterProvider: createTestMeterProvider().meterProvider,
  });

  it('fail loudly at class definition on a field', () => {
    expect(() => {
      class Bad {
        // @ts-expect-error a method decorator on a field is a type error too
        @workflows.measure('F') field = 1;
      }
      return Bad;
    }).toThrow(/can only decorate a class method, not a field \(field\)/);
  });

  it('fail loudly at class definition on a getter', () => {
    expect(() => {
      class Bad {
        // @ts-expect-error a method decorator on a getter is a type error too
        @workflows.measure('G') get value() {
          return 1;
        }
      }
      return Bad;
    }).toThrow(/not a getter/);
  });

  it('fail loudly when called with legacy experimentalDecorators arguments', () => {
    const decorator = measuringDecorator('measure', (fn, thisArg, args) => fn.apply(thisArg, args));
    const legacyCall = decorator as unknown as (
      target: object,
      key: string,
      descriptor: PropertyDescriptor,
    ) => void;
    expect(() => legacyCall({}, 'method', { value: () => 1 })).toThrow(
      /remove "experimentalDecorators"/,
    );
  });

  it('keep `this`, arguments, return values and rejections of async methods', async () => {
    const otel = createTestMeterProvider();
    const wf = new WorkflowInstrumentation({ meterProvider: otel.meterProvider });
    class Service {
      constructor(private readonly prefix: string) {}
      @wf.measure('GREET')
      async greet(name: string) {
        return `${this.prefix} ${name}`;
      }
      @wf.measure('GREET')
      async explode() {
        throw new RangeError('nope');
      }
    }
    const service = new Service('hello');
    await expect(service.greet('ada')).resolves.toBe('hello ada');
    await expect(service.explode()).rejects.toThrow(RangeError);
    expect(
      (await otel.point<Histogram>(METRIC_WORKFLOW_DURATION, { outcome: 'success' })).value.count,
    ).toBe(1);
    expect(
      (await otel.point<Histogram>(METRIC_WORKFLOW_DURATION, { 'error.type': 'RangeError' })).value
        .count,
    ).toBe(1);
  });
});
