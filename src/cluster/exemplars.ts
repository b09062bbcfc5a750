import type { Attributes } from '@opentelemetry/api';
import type { Exemplar, ExemplarReservoir } from '../core/exemplars/reservoir.js';
import type { ExemplarSource } from '../sdk/prometheus/exposition/exemplars.js';
import type { DeltaMessage, ReportExtras, WireExemplar } from './wire.js';

/** Default most exemplars a worker sends with one report interval. */
export const DEFAULT_MAX_EXEMPLARS = 100;

/**
 * The newest exemplars `reservoir` kept since the previous call, at most `limit` and at most
 * `maxBytes` of JSON, as the extras of a report (with the boundaries their bucket indexes refer to).
 */
export function exemplarExtras(
  reservoir: ExemplarReservoir,
  limit: number,
  maxBytes: number,
): ReportExtras {
  const placed = reservoir.takeRecent(limit);
  if (placed.length === 0) return {};
  const exemplars: WireExemplar[] = [];
  const exemplarBounds: Record<string, number[]> = {};
  let bytes = 40;
  for (const { instrument, boundaries, attributes, bucket, exemplar } of placed) {
    const wire: WireExemplar = {
      n: instrument,
      a: attributes,
      k: bucket ?? -1,
      t: exemplar.traceId,
      i: exemplar.spanId,
      v: exemplar.value,
      ms: exemplar.timestampMs,
    };
    const newBounds = boundaries !== undefined && exemplarBounds[instrument] === undefined;
    const cost =
      JSON.stringify(wire).length +
      1 +
      (newBounds ? JSON.stringify(boundaries).length + instrument.length + 4 : 0);
    if (bytes + cost > maxBytes) break;
    bytes += cost;
    exemplars.push(wire);
    if (newBounds) exemplarBounds[instrument] = [...boundaries];
  }
  return exemplars.length > 0 ? { exemplars, exemplarBounds } : {};
}

/** Keeps the exemplars of a merged report in `reservoir` (newest wins); malformed ones are skipped. */
export function mergeExemplars(reservoir: ExemplarReservoir, report: DeltaMessage): void {
  const { exemplars, exemplarBounds } = report;
  if (!Array.isArray(exemplars)) return;
  const bounds =
    typeof exemplarBounds === 'object' && exemplarBounds !== null ? exemplarBounds : {};
  for (const wire of exemplars) {
    if (!isWireExemplar(wire)) continue;
    const boundaries = wire.k >= 0 ? bounds[wire.n] : undefined;
    if (wire.k >= 0 && !isNumbers(boundaries)) continue;
    const exemplar: Exemplar = {
      traceId: wire.t,
      spanId: wire.i,
      value: wire.v,
      timestampMs: wire.ms,
    };
    reservoir.merge(wire.n, boundaries, wire.a, wire.k >= 0 ? wire.k : undefined, exemplar);
  }
}

/** Where the exposition finds exemplars: the newest of those `reservoirs` hold for the line. */
export function newestExemplar(...reservoirs: ExemplarReservoir[]): ExemplarSource {
  return {
    exemplar: (metric, attributes, bucket, boundaries) => {
      let newest: Exemplar | undefined;
      for (const reservoir of reservoirs) {
        const found = reservoir.exemplar(metric.name, attributes, bucket, boundaries);
        if (found !== undefined && (newest === undefined || found.timestampMs > newest.timestampMs))
          newest = found;
      }
      return newest;
    },
  };
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((b) => typeof b === 'number');
}

function isWireExemplar(value: unknown): value is WireExemplar & { a: Attributes } {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<WireExemplar>;
  return (
    typeof e.n === 'string' &&
    typeof e.a === 'object' &&
    e.a !== null &&
    Number.isInteger(e.k) &&
    typeof e.t === 'string' &&
    typeof e.i === 'string' &&
    typeof e.v === 'number' &&
    typeof e.ms === 'number'
  );
}
