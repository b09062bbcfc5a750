import { type Attributes, ValueType } from '@opentelemetry/api';
import {
  type DeltaMessage,
  sealReport,
  type WireKind,
  type WireMetric,
  type WireNumber,
} from '../../src/cluster/wire.js';

/** One point as a test writes it: a value, or a histogram's bucket counts and sum. */
export type TestPoint =
  | { a: Attributes; v: WireNumber }
  | { a: Attributes; c: number[]; s: number };

/** One metric as a test writes it: its description and every point, series by attributes. */
export interface TestMetric {
  kind: WireKind;
  name: string;
  /** Instrumentation scope; default `s`. */
  scope?: string;
  unit?: string;
  bounds?: number[];
  points: TestPoint[];
}

let epoch = 0;

/** A metric of kind `kind` named `name` (scope `s`, unit `1`). */
export function metric(kind: WireKind, points: TestPoint[], name = 'jobs'): TestMetric {
  return { kind, name, points };
}

/**
 * A report of `source` in an epoch of its own: every metric and series described, as a worker's
 * first report of an epoch is, so each report merges on its own.
 */
export function report(metrics: TestMetric[], source = 'test', seq = 1): DeltaMessage {
  const wire = metrics.map((m, id): WireMetric => {
    const p: WireNumber[] = [];
    m.points.forEach((point, i) => {
      p.push(i === 0 ? 0 : 1, ...('v' in point ? [point.v] : [point.s, ...point.c]));
    });
    return {
      m: id,
      d: {
        scope: m.scope ?? 's',
        name: m.name,
        description: '',
        unit: m.unit ?? '1',
        valueType: ValueType.DOUBLE,
        kind: m.kind,
        ...(m.bounds && { bounds: m.bounds }),
      },
      s0: 0,
      s: m.points.map((point) => point.a),
      p,
    };
  });
  return sealReport(source, seq, ++epoch, wire);
}
