import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  ATTR_OPMETER_OPERATION,
  ATTR_PACKAGE,
  METRIC_MODULE_OPERATION_DURATION,
  ModuleInstrumentation,
} from '../../instrumentations/module/index.js';
import { loadSchemaRegistry } from '../../src/def-metric/index.js';
import { DIALECTS } from '../def-metric/helpers/dialects.js';
import { mariadbAvailable } from '../def-metric/helpers/mariadb.js';
import { useWriterSuite } from '../def-metric/helpers/writer-suite.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

const MARIADB_UP = await mariadbAvailable('module tables suite (mysql dialect)');

/** The YAML of docs/def-metric.md's payments example, and a full-DDL module table with a short code column. */
function userSchemas(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opmeter-module-yaml-'));
  writeFileSync(
    join(dir, 'payments.yaml'),
    [
      'database:',
      '  schema:',
      '    def_payments_metric:',
      '      template: module_metric',
      '      module: payments',
      '      codeColumn: PaymentCode',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'refunds.yaml'),
    [
      'database:',
      '  schema:',
      '    def_refunds_metric:',
      '      ddl: |',
      '        CREATE TABLE `def_refunds_metric` (',
      '          `RefundCode` varchar(40) NOT NULL,',
      '          `Package` varchar(30) NOT NULL,',
      '          `AxionImportTime` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,',
      '          `AxionImportGuid` varchar(36) NOT NULL,',
      '          `OperationName` varchar(60) DEFAULT NULL,',
      '          `TargetEntity` varchar(20) DEFAULT NULL,',
      '          `ItemsProcessed` int(11) DEFAULT 0,',
      '          `ElapsedSeconds` decimal(10,3) DEFAULT NULL,',
      '          `MemoryUsageMB` decimal(12,2) DEFAULT NULL,',
      '          `FileSizeMB` decimal(12,2) DEFAULT NULL,',
      '          `CacheHits` int(11) DEFAULT 0,',
      '          `APICallsMade` int(11) DEFAULT 0,',
      "          `OperationSuccess` char(1) DEFAULT 'N',",
      '          `ErrorMessage` text DEFAULT NULL,',
      '          `ErrorCategory` varchar(50) DEFAULT NULL,',
      '          PRIMARY KEY (`RefundCode`, `Package`, `AxionImportTime`, `AxionImportGuid`)',
      '        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collation};',
      '      columns:',
      '        RefundCode: { alias: ModuleCode }',
      '        AxionImportGuid: { generated: uuid }',
    ].join('\n'),
  );
  return dir;
}

const registry = loadSchemaRegistry({ paths: [userSchemas()] });

for (const dialectName of DIALECTS) {
  describe.skipIf(dialectName === 'mysql' && !MARIADB_UP)(
    `module tables declared in YAML only, written on ${dialectName}`,
    () => {
      const suite = useWriterSuite(dialectName, registry, { flushIntervalMs: 50 });

      async function moduleWriting(module: string) {
        const writer = suite.open();
        await writer.ready();
        const otel = createTestMeterProvider();
        const instrumentation = new ModuleInstrumentation({
          meterProvider: otel.meterProvider,
          rows: writer,
          module,
        });
        return { writer, otel, instrumentation };
      }

      it('the docs’ payments example: every row lands in PaymentCode, none refused or fixed', async () => {
        const { writer, instrumentation } = await moduleWriting('payments');
        await instrumentation.run('settle_batch', (op) => op.addItems(1200), {
          code: 'settle',
          package: 'billing',
        });
        instrumentation.start('refund').fail(new Error('card declined'));
        await writer.flush();
        expect(writer.stats()).toMatchObject({ written: 2, rejected: 0, dropped: 0, fixed: 0 });
        const stored = await suite.reader.select(
          'SELECT PaymentCode, Package, OperationName, ItemsProcessed, ItemsPerSecond, ErrorMessage FROM def_payments_metric ORDER BY OperationName DESC',
          [],
        );
        expect(
          stored.map((row) => ({ ...row, ItemsPerSecond: Number(row.ItemsPerSecond) > 0 })),
        ).toEqual([
          {
            PaymentCode: 'settle',
            Package: 'billing',
            OperationName: 'settle_batch',
            ItemsProcessed: 1200,
            ItemsPerSecond: true,
            ErrorMessage: null,
          },
          {
            PaymentCode: 'refund',
            Package: 'default',
            OperationName: 'refund',
            ItemsProcessed: 0,
            ItemsPerSecond: false,
            ErrorMessage: 'card declined',
          },
        ]);
      });

      it('codes, packages and names longer than their columns are cut to the YAML lengths when recorded: the row lands, the attribute is the stored value', async () => {
        const { writer, otel, instrumentation } = await moduleWriting('payments');
        const code = `C${'😀'.repeat(299)}`;
        const pkg = 'p'.repeat(150);
        const name = `n${'é'.repeat(299)}`;
        instrumentation.start(name, { code, package: pkg, target: 't'.repeat(300) }).end();
        await writer.flush();
        expect(writer.stats()).toMatchObject({ written: 1, rejected: 0, fixed: 0 });
        const [stored] = await suite.reader.select(
          'SELECT PaymentCode, Package, OperationName, TargetEntity FROM def_payments_metric WHERE Package = ?',
          ['p'.repeat(100)],
        );
        expect(stored).toEqual({
          PaymentCode: `C${'😀'.repeat(254)}`,
          Package: 'p'.repeat(100),
          OperationName: `n${'é'.repeat(254)}`,
          TargetEntity: 't'.repeat(255),
        });
        const point = await otel.point<Histogram>(METRIC_MODULE_OPERATION_DURATION);
        expect(point.attributes[ATTR_OPMETER_OPERATION]).toBe(stored?.OperationName);
        expect(point.attributes[ATTR_PACKAGE]).toBe(stored?.Package);
      });

      it('a full-DDL module table: the lengths come from its own YAML (code 40, package 30, name 60, target 20)', async () => {
        const { writer, otel, instrumentation } = await moduleWriting('refunds');
        instrumentation
          .start('o'.repeat(80), { code: 'r'.repeat(80), package: 'q'.repeat(80) })
          .target('t'.repeat(80))
          .end();
        await writer.flush();
        expect(writer.stats()).toMatchObject({ written: 1, rejected: 0, fixed: 0 });
        const stored = await suite.reader.select(
          'SELECT RefundCode, Package, OperationName, TargetEntity FROM def_refunds_metric',
          [],
        );
        expect(stored).toEqual([
          {
            RefundCode: 'r'.repeat(40),
            Package: 'q'.repeat(30),
            OperationName: 'o'.repeat(60),
            TargetEntity: 't'.repeat(20),
          },
        ]);
        const point = await otel.point<Histogram>(METRIC_MODULE_OPERATION_DURATION);
        expect(point.attributes).toMatchObject({
          [ATTR_OPMETER_OPERATION]: 'o'.repeat(60),
          [ATTR_PACKAGE]: 'q'.repeat(30),
        });
      });
    },
  );
}
