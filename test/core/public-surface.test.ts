import { describe, expect, it } from 'vitest';
import * as opmeter from '../../src/index.js';
import * as internal from '../../src/internal.js';

/** The machinery that belongs to `opmeter/internal`, never to `opmeter`. */
const MACHINERY = [
  'OperationRecorder',
  'OperationHandle',
  'InputGuard',
  'QuantileSketch',
  'SeriesCache',
  'InFlightTracker',
  'measuringDecorator',
  'meterFor',
  'residentMemoryMB',
];

describe('the public surface', () => {
  it('opmeter exports what applications use and none of the machinery', () => {
    const names = Object.keys(opmeter);
    for (const name of ['SessionStats', 'setRecordingEnabled', 'isRecordingEnabled', 'VERSION']) {
      expect(names).toContain(name);
    }
    for (const name of MACHINERY) expect(names, name).not.toContain(name);
  });

  it('opmeter/internal has the machinery', () => {
    for (const name of MACHINERY) expect(Object.keys(internal), name).toContain(name);
  });
});
