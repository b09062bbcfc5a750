import { describe, expect, it } from 'vitest';
import {
  compileRowNormaliser,
  FIX_REASON_COERCED,
  FIX_REASON_NOT_FINITE,
  FIX_REASON_ROUNDED,
  FIX_REASON_TRUNCATED,
  FIX_REASON_UNKNOWN_COLUMN,
  loadSchemaRegistry,
  REJECT_REASON_MISSING_REQUIRED,
  REJECT_REASON_OUT_OF_RANGE,
  REJECT_REASON_TOO_LONG,
  REJECT_REASON_WRONG_TYPE,
  TRUNCATION_MARKER,
} from '../../src/def-metric/index.js';

const registry = loadSchemaRegistry();
const table = registry.require('def_dataimport_metric');
const normalise = compileRowNormaliser(table);
const AT = Date.UTC(2025, 11, 28, 10, 11, 12, 345);
const index = (name: string) => table.columns.findIndex((c) => c.name === name);

function ok(row: Record<string, unknown>) {
  const result = normalise(row as never, AT);
  if (!result.ok) throw new Error(`rejected: ${result.reason} on ${result.column}`);
  const values = Object.fromEntries(table.columns.map((c, i) => [c.name, result.values[i]]));
  return { values, fixes: result.fixes };
}

describe('row normaliser (driven by the column model)', () => {
  it('fills the guide defaults: GUID, enqueue time, column defaults, NULLs', () => {
    const { values, fixes } = ok({ DataimportCode: 'orders', Package: 'core' });
    expect(values.AxionImportGuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(values.AxionImportTime).toBe('2025-12-28 10:11:12');
    expect(values.ItemsProcessed).toBe(0);
    expect(values.OperationSuccess).toBe('N');
    expect(values.ElapsedSeconds).toBeNull();
    expect(values.ItemsPerSecond).toBeNull();
    expect(fixes).toEqual([]);
  });

  it('maps booleans to Y/N, rounds decimals to their scale, computes ItemsPerSecond', () => {
    const { values } = ok({
      DataimportCode: 'orders',
      Package: 'core',
      OperationSuccess: true,
      ItemsProcessed: 1000,
      ElapsedSeconds: 2.34567,
      MemoryUsageMB: 123.4567,
      FileSizeMB: 0.005,
    });
    expect(values.OperationSuccess).toBe('Y');
    expect(values.ElapsedSeconds).toBe(2.346);
    expect(values.MemoryUsageMB).toBe(123.46);
    expect(values.ItemsPerSecond).toBe(426.32);
    expect(
      ok({ DataimportCode: 'x', Package: 'p', OperationSuccess: false }).values.OperationSuccess,
    ).toBe('N');
  });

  it('leaves ItemsPerSecond NULL when elapsed is 0 and keeps a given rate', () => {
    expect(
      ok({ DataimportCode: 'x', Package: 'p', ItemsProcessed: 5, ElapsedSeconds: 0 }).values
        .ItemsPerSecond,
    ).toBeNull();
    expect(
      ok({
        DataimportCode: 'x',
        Package: 'p',
        ItemsProcessed: 5,
        ElapsedSeconds: 1,
        ItemsPerSecond: 7,
      }).values.ItemsPerSecond,
    ).toBe(7);
  });

  it('cuts ErrorMessage at 5000 characters and marks it', () => {
    const { values, fixes } = ok({
      DataimportCode: 'x',
      Package: 'p',
      ErrorMessage: 'é'.repeat(6000),
    });
    expect(values.ErrorMessage).toBe('é'.repeat(5000) + TRUNCATION_MARKER);
    expect(fixes).toContain(FIX_REASON_TRUNCATED);
    expect(
      ok({ DataimportCode: 'x', Package: 'p', ErrorMessage: 'e'.repeat(5000) }).values.ErrorMessage,
    ).toHaveLength(5000);
  });

  it('takes Date, epoch ms and strings for DATETIME, as UTC', () => {
    const when = Date.UTC(2024, 1, 29, 23, 59, 58);
    expect(
      ok({ DataimportCode: 'x', Package: 'p', AxionImportTime: new Date(when) }).values
        .AxionImportTime,
    ).toBe('2024-02-29 23:59:58');
    expect(
      ok({ DataimportCode: 'x', Package: 'p', AxionImportTime: when }).values.AxionImportTime,
    ).toBe('2024-02-29 23:59:58');
    expect(
      ok({ DataimportCode: 'x', Package: 'p', AxionImportTime: '2024-03-01T01:59:58+02:00' }).values
        .AxionImportTime,
    ).toBe('2024-02-29 23:59:58');
  });

  it('fixes what can be fixed and counts it', () => {
    const { values, fixes } = ok({
      DataimportCode: 'x',
      Package: 'p',
      ElapsedSeconds: Number.NaN,
      MemoryUsageMB: Number.POSITIVE_INFINITY,
      ItemsProcessed: 2.6,
      CacheHits: '12',
      TargetEntity: 't'.repeat(300),
      NotAColumn: 1,
    });
    expect(values.ElapsedSeconds).toBeNull();
    expect(values.MemoryUsageMB).toBeNull();
    expect(values.ItemsProcessed).toBe(3);
    expect(values.CacheHits).toBe(12);
    expect(values.TargetEntity).toBe('t'.repeat(255));
    expect(new Set(fixes)).toEqual(
      new Set([
        FIX_REASON_NOT_FINITE,
        FIX_REASON_ROUNDED,
        FIX_REASON_COERCED,
        FIX_REASON_TRUNCATED,
        FIX_REASON_UNKNOWN_COLUMN,
      ]),
    );
  });

  it('truncates by characters, never splitting an emoji', () => {
    const { values } = ok({ DataimportCode: 'x', Package: 'p', ErrorCategory: '😀'.repeat(60) });
    expect(values.ErrorCategory).toBe('😀'.repeat(50));
  });

  it.each([
    [
      'a code longer than its column',
      { DataimportCode: 'c'.repeat(256), Package: 'p' },
      REJECT_REASON_TOO_LONG,
      'DataimportCode',
    ],
    ['a missing code', { Package: 'p' }, REJECT_REASON_MISSING_REQUIRED, 'DataimportCode'],
    [
      'text in a number column',
      { DataimportCode: 'x', Package: 'p', ItemsProcessed: 'many' },
      REJECT_REASON_WRONG_TYPE,
      'ItemsProcessed',
    ],
    [
      'an int overflow',
      { DataimportCode: 'x', Package: 'p', CacheHits: 2 ** 40 },
      REJECT_REASON_OUT_OF_RANGE,
      'CacheHits',
    ],
    [
      'a decimal overflow',
      { DataimportCode: 'x', Package: 'p', ElapsedSeconds: 1e8 },
      REJECT_REASON_OUT_OF_RANGE,
      'ElapsedSeconds',
    ],
    [
      'a Date in a text column',
      { DataimportCode: 'x', Package: 'p', OperationName: new Date() },
      REJECT_REASON_WRONG_TYPE,
      'OperationName',
    ],
  ])('rejects %s with a reason', (_label, row, reason, column) => {
    expect(normalise(row as never, AT)).toEqual({ ok: false, reason, column });
  });

  it('places values in the table column order', () => {
    const result = normalise({ DataimportCode: 'first', Package: 'second' }, AT);
    expect(result.ok && result.values[index('DataimportCode')]).toBe('first');
    expect(result.ok && result.values[index('Package')]).toBe('second');
  });
});
