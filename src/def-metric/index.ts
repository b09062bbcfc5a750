export { DefMetricConfigError } from './config-error.js';
export {
  type ConnectionUrl,
  DEF_METRIC_URL_ENV,
  DEFAULT_DEF_METRIC_URL,
  defMetricUrlFromEnv,
  describeConnectionUrl,
  MysqlConnectionUrl,
  parseConnectionUrl,
  type SqliteConnectionUrl,
} from './connection-url.js';
export { createDialect } from './create-dialect.js';
export { createDefMetricWriter, type DefMetricWriterOptions } from './create-writer.js';
export { parseDuration } from './datetime.js';
export { renderMysqlDdl } from './ddl-mysql.js';
export { parseCreateTable } from './ddl-parser.js';
export { renderSqliteDdl, sqliteIndexName } from './ddl-sqlite.js';
export type { DefMetricDialect, ResultRow, SqlValue, WriteErrorKind } from './dialect.js';
export { type MigrateOptions, migrate } from './migrate.js';
export {
  createMysqlDialect,
  type MysqlConnectionLike,
  type MysqlDialectConfig,
  type MysqlPoolLike,
  type MysqlTimeouts,
} from './mysql-dialect.js';
export {
  codeColumn,
  errorRateByOperation,
  memoryTrend,
  operationColumn,
  REPORT_DEFAULT_SINCE_MS,
  REPORT_NAMES,
  type ReportName,
  type ReportOptions,
  type ReportResult,
  runReport,
  slowestOperations,
} from './reports.js';
export { DEFAULT_RETENTION, deleteExpiredRows, type RetentionOptions } from './retention.js';
export {
  compileRowNormaliser,
  type NormaliseResult,
  type RowNormaliser,
  type RowNormaliserOptions,
  TRUNCATION_MARKER,
} from './row-normaliser.js';
export {
  type CloseOptions,
  DefMetricRowWriter,
  type RowWriterOptions,
  type RowWriterStats,
} from './row-writer.js';
export {
  builtinSchemaDir,
  loadSchemaRegistry,
  registryOf,
  type SchemaRegistry,
  type SchemaRegistryOptions,
} from './schema-registry.js';
export * from './semconv.js';
export { type Closable, closeOnSignals } from './shutdown.js';
export { DEFAULT_SPILL_MAX_BYTES, type SpillOptions } from './spill-journal.js';
export { createSqliteDialect, type SqliteDialectConfig } from './sqlite-dialect.js';
export type {
  ColumnDefault,
  ColumnModel,
  ColumnType,
  IndexColumn,
  IndexModel,
  TableModel,
} from './table-model.js';
export { COLLATION_PLACEHOLDER, findColumn } from './table-model.js';
