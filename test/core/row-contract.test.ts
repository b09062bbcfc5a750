import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  instrumentServer,
  markCacheHit,
} from '../../instrumentations/api/index.js';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import { ModuleInstrumentation } from '../../instrumentations/module/index.js';
import { NotifyInstrumentation } from '../../instrumentations/notify/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import type { WorkflowMetricRow } from '../../src/core/def-metric-rows.js';
import type { DefMetricRow } from '../../src/core/row-sink.js';
import {
  compileRowNormaliser,
  type DefMetricDialect,
  loadSchemaRegistry,
  type SqlValue,
} from '../../src/def-metric/index.js';
import { close, listen } from '../api/support.js';
import { DIALECTS, type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { mariadbAvailable } from '../def-metric/helpers/mariadb.js';
import { ArrayRowSink } from '../support/test-targets.js';

const MARIADB_UP = await mariadbAvailable('row contract suite (mysql dialect)');
const registry = loadSchemaRegistry();

/** Real rows of every domain with a table: successes and failures, through the real toRow(). */
async function domainRows(): Promise<ArrayRowSink> {
  const rows = new ArrayRowSink();
  const workflows = new WorkflowInstrumentation({ rows });
  await workflows.run('NIGHTLY', (run) => run.stepCompleted(3).stepFailed().retry().addItems(7), {
    package: 'billing',
    mode: 'parallel',
    name: 'Nightly import',
  });
  workflows.start('BROKEN').fail(Object.assign(new Error('disk gone'), { code: 'EIO' }));

  const notify = new NotifyInstrumentation({ rows });
  notify
    .start('WELCOME', { channel: 'email', recipients: 3, queueDepth: 2 })
    .delivered(2)
    .failed(1)
    .end();
  notify.start('SMS', { channel: 'carrier pigeon' }).fail(new TypeError('bad number'));

  const batches = new BatchInstrumentation({ rows });
  const job = batches.start('WAVES', { package: 'lab' });
  job
    .startFile('a.csv', { bytes: 3 * 1024 * 1024 })
    .addSamples(1200)
    .addMeasurements(4)
    .end();
  job.recordFile('b.csv', { durationSeconds: 0.25, status: 'error', error: new Error('ENOENT') });
  job.skip('c.csv', 'empty');

  const imports = new ModuleInstrumentation({ rows, module: 'dataimport' });
  await imports.run(
    'import_file',
    (op) => op.target('customers').fileSize(1024).cacheHit().apiCall(2).addItems(50),
    {
      code: 'CUSTOMERS_CSV',
    },
  );
  imports.start('import_file').fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));

  const api = new ApiInstrumentation({ rows });
  const server = createServer((req, res) => {
    if (req.url === '/fail') {
      res.statusCode = 503;
      res.end('down');
      return;
    }
    markCacheHit(req);
    res.end('ok');
  });
  instrumentServer(server, api, { route: (req) => req.url });
  const base = await listen(server);
  await (await fetch(`${base}/ok`, { method: 'POST', body: 'x'.repeat(2048) })).text();
  await (await fetch(`${base}/fail`)).text();
  await close(server);
  await new Promise((resolve) => setImmediate(resolve));
  return rows;
}

const DOMAIN_TABLES = [
  'def_workflow_metric',
  'def_notify_metric',
  'def_batch_metric',
  'def_dataimport_metric',
  'def_api_metric',
];

let produced: ArrayRowSink;
beforeAll(async () => {
  produced = await domainRows();
});

/** The normalised values of every produced row of `table`, with the fixes the normaliser made. */
function normalised(table: string): { values: SqlValue[][]; fixes: string[] } {
  const normalise = compileRowNormaliser(registry.require(table));
  const values: SqlValue[][] = [];
  const fixes: string[] = [];
  for (const { row } of produced.rows.filter((r) => r.table === table)) {
    const result = normalise(row as DefMetricRow, Date.now());
    if (!result.ok) throw new Error(`${table}: row refused (${result.reason} on ${result.column})`);
    values.push(result.values);
    fixes.push(...result.fixes.map((fix) => `${fix} in ${JSON.stringify(row)}`));
  }
  return { values, fixes };
}

describe('every domain’s real rows, through the real normaliser', () => {
  it.each(DOMAIN_TABLES)('%s: at least two rows, none refused, zero fixes', (table) => {
    const { values, fixes } = normalised(table);
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect(fixes).toEqual([]);
  });

  it('a misspelt column does not compile', () => {
    const row = (): WorkflowMetricRow => ({
      WorkflowCode: 'W',
      Package: 'p',
      // @ts-expect-error StepsCompletd is not a column of def_workflow_metric
      StepsCompletd: 1,
    });
    expect(row().WorkflowCode).toBe('W');
  });
});

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(`…and into ${dialectName}`, () => {
    let fixture: DialectFixture;
    let dialect: DefMetricDialect;
    beforeAll(async () => {
      fixture = await openFixture(dialectName);
      dialect = fixture.dialect();
    });
    afterAll(async () => {
      await dialect?.close();
      await fixture?.cleanup();
    });

    it.each(DOMAIN_TABLES)('%s: every row is stored as normalised', async (table) => {
      const model = registry.require(table);
      await dialect.createTable(model, await dialect.resolveCollation(undefined));
      const { values } = normalised(table);
      await dialect.insertRows(model, values);
      const stored = await dialect.select(`SELECT COUNT(*) AS n FROM ${dialect.quote(table)}`, []);
      expect(Number(stored[0]?.n)).toBe(values.length);
    });
  });
}
