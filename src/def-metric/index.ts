export { OpmeterConfigError } from '../core/config-error.js';
export { DefMetricConfigError } from './config-error.js';
export { createDefMetricWriter, type DefMetricWriterOptions } from './create-writer.js';
export {
  type ConnectionUrl,
  connectionUrlOf,
  DEF_METRIC_URL_ENV,
  DEFAULT_DEF_METRIC_URL,
  defMetricUrlFromEnv,
  describeConnectionUrl,
  MysqlConnectionUrl,
  parseConnectionUrl,
  type SqliteConnectionUrl,
} from './dialect/connection-url.js';
export { createDialect } from './dialect/create-dialect.js';
export type { DefMetricDialect, ResultRow, SqlValue, WriteErrorKind } from './dialect/dialect.js';
export { type MigrateOptions, migrate } from './dialect/migrate.js';
export { renderMysqlDdl } from './dialect/mysql/ddl.js';
export {
  createMysqlDialect,
  type MysqlConnectionLike,
  type MysqlDialectConfig,
  type MysqlPoolLike,
  type MysqlTimeouts,
} from './dialect/mysql/dialect.js';
export { renderSqliteDdl, sqliteIndexName } from './dialect/sqlite/ddl.js';
export {
  createSqliteDialect,
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  type SqliteDialectConfig,
} from './dialect/sqlite/dialect.js';
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
} from './reports/reports.js';
export { parseDuration } from './schema/datetime.js';
export { parseCreateTable } from './schema/ddl-parser.js';
export {
  builtinSchemaDir,
  loadSchemaRegistry,
  registryOf,
  type SchemaRegistry,
  type SchemaRegistryOptions,
} from './schema/registry.js';
export type {
  ColumnDefault,
  ColumnModel,
  ColumnType,
  GeneratedValue,
  IndexColumn,
  IndexModel,
  OverflowPolicy,
  TableModel,
} from './schema/table-model.js';
export { COLLATION_PLACEHOLDER, findColumn, textLengthsOf } from './schema/table-model.js';
export * from './semconv.js';
export { DEFAULT_RETENTION, deleteExpiredRows, type RetentionOptions } from './writer/retention.js';
export {
  compileRowNormaliser,
  type NormaliseResult,
  type RowNormaliser,
  TRUNCATION_MARKER,
} from './writer/row-normaliser.js';
export {
  type CloseOptions,
  DefMetricRowWriter,
  type RowWriterOptions,
  type RowWriterStats,
} from './writer/row-writer.js';
export { type Closable, closeOnSignals } from './writer/shutdown.js';
export { DEFAULT_SPILL_MAX_BYTES, type SpillOptions } from './writer/spill-journal.js';
