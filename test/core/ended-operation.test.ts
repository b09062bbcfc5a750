import { describe, expect, it } from 'vitest';
import { presets } from '../../src/core/buckets.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import { OperationHandle } from '../../src/core/operation-handle.js';
import {
  type OperationConfig,
  OperationInstrumentation,
} from '../../src/core/operation-instrumentation.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

/** A domain that keeps what it is handed. */
class KeepingDomain implements OperationDomain<{ readonly tag: string }> {
  readonly name = 'keeping';
  readonly readsMemory = false;
  readonly ended: EndedOperation<{ readonly tag: string }>[] = [];
  bind(): void {}
  record(operation: EndedOperation<{ readonly tag: string }>): void {
    this.ended.push(operation);
  }
}

class Keeping extends OperationInstrumentation<{ readonly tag: string }, OperationConfig> {
  readonly keeper: KeepingDomain;
  constructor() {
    const keeper = new KeepingDomain();
    super(keeper, presets([1], [1]), { meterProvider: createTestMeterProvider().meterProvider });
    this.keeper = keeper;
  }
  start(tag: string): OperationHandle<{ readonly tag: string }> {
    return new OperationHandle(this.recorder, tag, { tag });
  }
}

describe('an ended operation', () => {
  it('is a value tagged on success: error and errorType only on the failure side, read-only', () => {
    const keeping = new Keeping();
    keeping.start('ok').end();
    keeping.start('bad').fail(new RangeError('no'));
    const [ok, bad] = keeping.keeper.ended;
    if (ok === undefined || bad === undefined) throw new Error('two operations expected');
    expect(ok.success).toBe(true);
    expect(bad.success && 'never').toBe(false);
    if (!bad.success) {
      const errorType: string = bad.errorType;
      expect(errorType).toBe('RangeError');
    }
    if (ok.success) {
      const none: undefined = ok.errorType;
      expect(none).toBeUndefined();
    }
    // @ts-expect-error an ended operation is read-only
    ok.durationSeconds = 5;
  });
});
