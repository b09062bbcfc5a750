import type { Attributes, AttributeValue, MeterProvider } from '@opentelemetry/api';
import fc from 'fast-check';

/** One instrument to create and the measurements to record on it. */
export interface HostileInstrument {
  kind: 'counter' | 'updown' | 'gauge' | 'histogram';
  name: string;
  unit: string;
  description: string;
  boundaries: number[];
  points: Array<{ attributes: Attributes; value: number }>;
}

/** Instruments of one meter. */
export interface HostileMeter {
  name: string;
  version: string;
  instruments: HostileInstrument[];
}

const TEN_KB = 'x'.repeat(10_000);

/** Keys that Prometheus reserves, that sanitise alike, or that are not label names at all. */
const awkwardKeys = fc.constantFrom(
  'le',
  'quantile',
  '',
  '1abc',
  'a.b',
  'a_b',
  'a-b',
  '__name__',
  '__x',
  'otel.scope.name',
  'otel_scope_version',
  'job',
  'ü',
  '😀',
  '\uD800',
  'k\n"\\',
);

/** Values that need escaping, lone surrogates, long strings and every attribute value type. */
const awkwardValues: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.constantFrom('"', '\\', '\n', '\\n', 'a"b\\c\nd', '\uD800', 'x\uDC00y', '\uDBFF\uDFFF', ''),
  fc.constant(TEN_KB),
  fc.constant(`${TEN_KB}"\\\n`.repeat(10)),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
);

const attributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc.oneof(awkwardKeys, fc.string({ unit: 'binary', maxLength: 12 })),
  awkwardValues,
  { maxKeys: 5 },
);

/** Names whose Prometheus forms collide, end in reserved suffixes, or are not valid OTel names. */
const names = fc.oneof(
  fc.constantFrom(
    'x',
    'x.total',
    'x_total',
    'a.b',
    'a_b',
    'h',
    'h.bucket',
    'h_count',
    'target.info',
    'target_info',
    'seconds',
    'y.seconds',
    'req',
    'req.total',
    '1abc',
  ),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.\-/]{0,20}$/),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

const units = fc.oneof(
  fc.constantFrom('s', 'ms', 'By', '1', '{req}', '%', 'By/s', '', 'weird unit', '{', '°C'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const instrument: fc.Arbitrary<HostileInstrument> = fc.record({
  kind: fc.constantFrom('counter', 'updown', 'gauge', 'histogram'),
  name: names,
  unit: units,
  description: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('"q" \\ \n')),
  boundaries: fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 5 }),
  points: fc.array(fc.record({ attributes, value: fc.double() }), { minLength: 1, maxLength: 4 }),
});

/** Meters full of hostile instruments. */
export const hostileMeters: fc.Arbitrary<HostileMeter[]> = fc.array(
  fc.record({
    name: fc.oneof(fc.constantFrom('m', 'opmeter/x'), fc.string({ unit: 'binary', maxLength: 8 })),
    version: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 6 })),
    instruments: fc.array(instrument, { minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 3 },
);

/**
 * Attribute sets of exactly `keys` random keys and short random values (awkward ones included),
 * light enough to record tens of thousands of series.
 */
export function manyAttributes(keys: number): fc.Arbitrary<Attributes> {
  const key = fc.oneof(awkwardKeys, fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }));
  const value = fc.oneof(
    fc.constantFrom('"', '\\', '\n', 'a"b\\c\nd', '\uD800', 'x\uDC00y'),
    fc.string({ unit: 'binary', maxLength: 16 }),
  );
  return fc
    .uniqueArray(fc.tuple(key, value), { minLength: keys, maxLength: keys, selector: ([k]) => k })
    .map((pairs) => Object.fromEntries(pairs));
}

/** Hostile resource attributes (keys that are not label names, keys that sanitise alike). */
export const hostileResource: fc.Arbitrary<Record<string, AttributeValue>> = fc.dictionary(
  fc.oneof(awkwardKeys, fc.string({ unit: 'binary', maxLength: 8 })),
  awkwardValues,
  { maxKeys: 4 },
);

/** Creates the instruments on `meterProvider` and records every point. */
export function recordHostile(meterProvider: MeterProvider, meters: HostileMeter[]): void {
  for (const spec of meters) {
    const meter = meterProvider.getMeter(spec.name, spec.version);
    for (const { kind, name, unit, description, boundaries, points } of spec.instruments) {
      const options = { unit, description, advice: { explicitBucketBoundaries: boundaries } };
      for (const { attributes: point, value } of points) {
        if (kind === 'counter') meter.createCounter(name, options).add(Math.abs(value), point);
        else if (kind === 'updown') meter.createUpDownCounter(name, options).add(value, point);
        else if (kind === 'gauge') meter.createGauge(name, options).record(value, point);
        else meter.createHistogram(name, options).record(value, point);
      }
    }
  }
}
