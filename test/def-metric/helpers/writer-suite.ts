import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createDefMetricWriter,
  type DefMetricDialect,
  type DefMetricRowWriter,
  type RowWriterOptions,
  type SchemaRegistry,
} from '../../../src/def-metric/index.js';
import { type DialectFixture, type DialectName, openFixture } from './dialects.js';
import { createTestMeter, type TestMeter } from './test-meter.js';

/** What a per-dialect writer suite shares: its database, a reader on it, and the last writer's meter and warnings. */
export interface WriterSuite {
  readonly fixture: DialectFixture;
  readonly reader: DefMetricDialect;
  /** The meter of the writer opened last. */
  readonly meter: TestMeter;
  /** The warnings of the writer opened last. */
  readonly warnings: string[];
  /** Opens a writer on the suite's database, or on `options.dialect` (closed after the test); `defaults` then `options`. */
  open(options?: Partial<RowWriterOptions>): DefMetricRowWriter;
  /** Rows of `table` whose code column (first primary-key column) is `code`. */
  count(table: string, code: string): Promise<number>;
}

/**
 * Registers the hooks of a writer suite on `dialectName` (call it inside `describe`): a fresh
 * database for the suite, every writer closed after each test, the database dropped at the end.
 */
export function useWriterSuite(
  dialectName: DialectName,
  registry: SchemaRegistry,
  defaults: Partial<RowWriterOptions> = {},
): WriterSuite {
  const writers: DefMetricRowWriter[] = [];
  const state = {} as {
    fixture: DialectFixture;
    reader: DefMetricDialect;
    meter: TestMeter;
    warnings: string[];
  };

  beforeAll(async () => {
    state.fixture = await openFixture(dialectName);
    state.reader = state.fixture.dialect();
  });

  afterAll(async () => {
    await state.reader?.close();
    await state.fixture?.cleanup();
  });

  afterEach(async () => {
    for (const writer of writers.splice(0)) await writer.close({ deadlineMs: 2_000 });
  });

  return {
    get fixture() {
      return state.fixture;
    },
    get reader() {
      return state.reader;
    },
    get meter() {
      return state.meter;
    },
    get warnings() {
      return state.warnings;
    },
    open(options = {}) {
      state.meter = createTestMeter();
      const warnings: string[] = [];
      state.warnings = warnings;
      const target = options.dialect === undefined ? { url: state.fixture.url } : {};
      const writer = createDefMetricWriter({
        ...target,
        schemas: registry,
        meterProvider: state.meter.meterProvider,
        onWarning: (message) => warnings.push(message),
        retention: false,
        ...defaults,
        ...options,
      });
      writers.push(writer);
      return writer;
    },
    async count(table, code) {
      const q = (name: string) => state.reader.quote(name);
      const key = registry.require(table).primaryKey[0] as string;
      const [row] = await state.reader.select(
        `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(key)} = ?`,
        [code],
      );
      return Number(row?.n);
    },
  };
}
