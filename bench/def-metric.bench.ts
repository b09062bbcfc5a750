import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  compileRowNormaliser,
  createDefMetricWriter,
  createDialect,
  type DefMetricDialect,
  type DefMetricRowWriter,
  loadSchemaRegistry,
  migrate,
  type SqlValue,
} from '../src/def-metric/index.js';
import {
  type Comparison,
  compare,
  comparisonTable,
  isEntryPoint,
  median,
  OPS_PER_ITERATION,
} from './harness.js';

/** Options of {@link run}. */
export interface DefMetricBenchOptions {
  /** Rows written per throughput round (default 2000). */
  readonly rows?: number;
  /** Rounds per comparison; the median is reported (default 3 for databases). */
  readonly rounds?: number;
  /** MariaDB server for the throughput comparison (default root@127.0.0.1:3306). */
  readonly mariadb?: string;
}

const TABLE = 'def_dataimport_metric';
const registry = loadSchemaRegistry();

function row(i: number) {
  return {
    DataimportCode: `bench-${i % 16}`,
    Package: 'bench',
    OperationName: 'import_file',
    TargetEntity: 'orders.csv',
    ItemsProcessed: 1000 + i,
    ElapsedSeconds: 0.123456 + i / 1000,
    MemoryUsageMB: 256.789,
    OperationSuccess: i % 10 !== 0,
  };
}

/** A dialect that accepts every write and stores nothing: isolates the writer's own cost. */
function discardingDialect(): DefMetricDialect {
  return {
    name: 'sqlite',
    target: 'discard',
    quote: (identifier) => identifier,
    resolveCollation: async () => 'binary',
    createTable: async () => {},
    insertRows: async () => {},
    deleteOlderThan: async () => 0,
    select: async () => [],
    classifyError: () => 'retry',
    close: async () => {},
  };
}

/**
 * Enqueue cost per row against a raw OTel counter add with attributes, same run. The writer
 * drains into a dialect that discards rows, so the figure is the caller's cost only.
 */
async function enqueueVsCounter(): Promise<Comparison> {
  const provider = new MeterProvider();
  const counter = provider.getMeter('bench').createCounter('bench.operations');
  const attributes = { 'opmeter.module': 'dataimport', 'opmeter.code': 'orders' };
  const sample = row(1);
  let writer: DefMetricRowWriter | undefined;
  const fresh = (): DefMetricRowWriter => {
    void writer?.close({ deadlineMs: 0 });
    writer = createDefMetricWriter({
      dialect: discardingDialect(),
      schemas: registry,
      migrate: false,
      retention: false,
      maxQueueSize: 1_100_000,
      flushIntervalMs: 10,
      meterProvider: provider,
    });
    return writer;
  };
  let current = fresh();
  const comparison = await compare(
    'def_metric enqueue vs OTel counter add',
    [
      'counter.add',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) counter.add(1, attributes);
      },
    ],
    [
      'writer.enqueue',
      () => {
        if (current.stats().waiting > 1_000_000) current = fresh();
        for (let i = 0; i < OPS_PER_ITERATION; i++) current.enqueue(TABLE, sample);
      },
    ],
  );
  if (current.stats().dropped > 0)
    throw new Error('benchmark queue overflowed: the figure would be wrong');
  await current.close({ deadlineMs: 0 });
  await provider.shutdown();
  return comparison;
}

/** Rows per second of the batched writer against one awaited INSERT per row, same database. */
async function batchedVsNaive(
  label: string,
  url: string,
  rows: number,
  rounds: number,
): Promise<Comparison> {
  const table = registry.require(TABLE);
  const setup = createDialect(url);
  await migrate(setup, [table]);
  await setup.close();
  const normalise = compileRowNormaliser(table);
  const naive: number[] = [];
  const batched: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const dialect = createDialect(url);
    await dialect.insertRows(table, [
      (normalise(row(-1), Date.now()) as { values: SqlValue[] }).values,
    ]);
    let start = performance.now();
    for (let i = 0; i < rows; i++) {
      const result = normalise(row(i), Date.now());
      if (result.ok) await dialect.insertRows(table, [result.values]);
    }
    naive.push(((performance.now() - start) * 1e6) / rows);
    await dialect.close();

    const writer = createDefMetricWriter({
      url,
      schemas: registry,
      retention: false,
      migrate: false,
      maxQueueSize: rows,
    });
    writer.enqueue(TABLE, row(-1));
    await writer.flush();
    start = performance.now();
    for (let i = 0; i < rows; i++) writer.enqueue(TABLE, row(i));
    await writer.flush();
    batched.push(((performance.now() - start) * 1e6) / rows);
    await writer.close();
  }
  const ratios = batched.map((ns, i) => ns / (naive[i] ?? ns));
  return {
    name: `def_metric rows/s on ${label} (${rows} rows)`,
    baseline: `one INSERT per row: ${Math.round(1e9 / median(naive))} rows/s`,
    candidate: `batched writer: ${Math.round(1e9 / median(batched))} rows/s`,
    baselineNsPerOp: median(naive),
    candidateNsPerOp: median(batched),
    ratio: median(ratios),
  };
}

/** Creates a throw-away MariaDB database; undefined when the server is unreachable. */
async function mariadbDatabase(
  server: string,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `opmeter_bench_${randomBytes(4).toString('hex')}`;
  const admin = createDialect(`${server}/mysql`);
  try {
    await admin.select(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`, []);
  } catch (error) {
    console.error(`def-metric bench: MariaDB skipped (${(error as Error).message})`);
    await admin.close();
    return undefined;
  }
  return {
    url: `${server}/${name}`,
    async drop() {
      await admin.select(`DROP DATABASE \`${name}\``, []);
      await admin.close();
    },
  };
}

/** Runs the def_metric benchmarks; every figure is a ratio measured in the same run. */
export async function run(options: DefMetricBenchOptions = {}): Promise<Comparison[]> {
  const rows = options.rows ?? 2_000;
  const rounds = options.rounds ?? 3;
  const results = [await enqueueVsCounter()];
  const dir = mkdtempSync(join(tmpdir(), 'opmeter-bench-'));
  try {
    results.push(
      await batchedVsNaive('SQLite file', `sqlite:${join(dir, 'bench.db')}`, rows, rounds),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mariadb = await mariadbDatabase(options.mariadb ?? 'mysql://root@127.0.0.1:3306');
  if (mariadb) {
    try {
      results.push(await batchedVsNaive('MariaDB', mariadb.url, rows, rounds));
    } finally {
      await mariadb.drop();
    }
  }
  return results;
}

if (isEntryPoint(import.meta.url)) {
  console.log(comparisonTable(await run()));
}
