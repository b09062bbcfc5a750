import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  ATTR_HTTP_ROUTE,
  ATTR_OPMETER_ENDPOINT_CODE,
  instrumentServer,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import {
  ATTR_BATCH_CODE,
  BatchInstrumentation,
  METRIC_BATCH_FILE_DURATION,
} from '../../instrumentations/batch/index.js';
import {
  ATTR_NOTIFY_CODE,
  METRIC_NOTIFY_DURATION,
  NotifyInstrumentation,
} from '../../instrumentations/notify/index.js';
import {
  ATTR_PACKAGE,
  ATTR_WORKFLOW_CODE,
  METRIC_WORKFLOW_DURATION,
  WorkflowInstrumentation,
} from '../../instrumentations/workflow/index.js';
import { codePointLength, cutToLength } from '../../src/core/column-length.js';
import {
  createDefMetricWriter,
  type DefMetricDialect,
  type DefMetricRowWriter,
} from '../../src/def-metric/index.js';
import { close, listen } from '../api/support.js';
import { DIALECTS, type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { mariadbAvailable } from '../def-metric/helpers/mariadb.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

const MARIADB_UP = await mariadbAvailable('column lengths suite (mysql dialect)');

/** 300 characters, most of them outside the BMP (two UTF-16 units each). */
const LONG_CODE = `É${'😀'.repeat(299)}`;
/** 150 characters. */
const LONG_PACKAGE = `${'p'.repeat(149)}😀`;
/** A 300-character route template. */
const LONG_ROUTE = `/${'r'.repeat(299)}`;

describe('cutToLength', () => {
  it('cuts by code points and never splits a surrogate pair', () => {
    expect(cutToLength('a😀b', 2)).toBe('a😀');
    expect(cutToLength('😀😀😀', 1)).toBe('😀');
    expect(cutToLength('abc', 3)).toBe('abc');
    expect(codePointLength(cutToLength(LONG_CODE, 255))).toBe(255);
    expect(cutToLength(LONG_CODE, 255).endsWith('😀')).toBe(true);
  });
});

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `codes, packages and routes longer than their columns, into ${dialectName}`,
    () => {
      let fixture: DialectFixture;
      let reader: DefMetricDialect;
      let writer: DefMetricRowWriter;
      const otel = createTestMeterProvider();

      beforeAll(async () => {
        fixture = await openFixture(dialectName);
        reader = fixture.dialect();
        writer = createDefMetricWriter({
          url: fixture.url,
          meterProvider: createTestMeterProvider().meterProvider,
          retention: false,
          onWarning: () => {},
        });
        const options = { meterProvider: otel.meterProvider, rows: writer };
        new WorkflowInstrumentation(options).start(LONG_CODE, { package: LONG_PACKAGE }).end();
        new NotifyInstrumentation(options).start(LONG_CODE, { package: LONG_PACKAGE }).end();
        const job = new BatchInstrumentation(options).start(LONG_CODE, { package: LONG_PACKAGE });
        job.recordFile(`${'f'.repeat(299)}😀`, { durationSeconds: 0.5 });
        const api = new ApiInstrumentation({ ...options, defaultPackage: LONG_PACKAGE });
        const server = createServer((_req, res) => res.end('ok'));
        instrumentServer(server, api, { route: () => LONG_ROUTE });
        await (await fetch(await listen(server))).text();
        await close(server);
        await new Promise((resolve) => setImmediate(resolve));
        await writer.flush();
      });

      afterAll(async () => {
        await writer?.close({ deadlineMs: 2_000 });
        await reader?.close();
        await fixture?.cleanup();
      });

      it('the real writer stores every row: none refused, none dropped, none fixed', () => {
        expect(writer.stats()).toMatchObject({ written: 4, rejected: 0, dropped: 0, fixed: 0 });
      });

      /** The one stored row of `table`, its `columns` only. */
      async function stored(table: string, columns: string[]): Promise<Record<string, unknown>> {
        const list = columns.map((c) => reader.quote(c)).join(', ');
        const rows = await reader.select(`SELECT ${list} FROM ${reader.quote(table)}`, []);
        expect(rows).toHaveLength(1);
        return rows[0] as Record<string, unknown>;
      }

      /** The attributes of the one data point of `metric`. */
      async function attributesOf(metric: string) {
        const points = (await otel.metric(metric)).dataPoints;
        expect(points).toHaveLength(1);
        return points[0]?.attributes ?? {};
      }

      it.each([
        ['def_workflow_metric', 'WorkflowCode', METRIC_WORKFLOW_DURATION, ATTR_WORKFLOW_CODE],
        ['def_notify_metric', 'NotifyCode', METRIC_NOTIFY_DURATION, ATTR_NOTIFY_CODE],
        ['def_batch_metric', 'BatchCode', METRIC_BATCH_FILE_DURATION, ATTR_BATCH_CODE],
      ])(
        '%s: code cut to 255 and package to 100 characters, the attributes equal to the row',
        async (table, codeColumn, metric, codeKey) => {
          const row = await stored(table, [codeColumn, 'Package']);
          expect(row[codeColumn]).toBe(cutToLength(LONG_CODE, 255));
          expect(row.Package).toBe(cutToLength(LONG_PACKAGE, 100));
          const attributes = await attributesOf(metric);
          expect(attributes[codeKey]).toBe(row[codeColumn]);
          expect(attributes[ATTR_PACKAGE]).toBe(row.Package);
        },
      );

      it('def_api_metric: the endpoint code of a 300-character route cut to 255, the route and package kept as the attributes say', async () => {
        const row = await stored('def_api_metric', ['EndpointCode', 'Package', 'Endpoint']);
        expect(codePointLength(String(row.EndpointCode))).toBe(255);
        expect(String(row.EndpointCode).startsWith('GET /rrr')).toBe(true);
        expect(row.Package).toBe(cutToLength(LONG_PACKAGE, 100));
        const attributes = await attributesOf(METRIC_HTTP_SERVER_REQUEST_DURATION);
        expect(attributes[ATTR_OPMETER_ENDPOINT_CODE]).toBe(row.EndpointCode);
        expect(attributes[ATTR_PACKAGE]).toBe(row.Package);
        expect(attributes[ATTR_HTTP_ROUTE]).toBe(row.Endpoint);
      });
    },
  );
}
