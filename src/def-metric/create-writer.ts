import { OpmeterConfigError } from '../core/config-error.js';
import { optionKeys } from '../core/config-validation.js';
import { type ConnectionUrl, defMetricUrlFromEnv } from './dialect/connection-url.js';
import { createDialect } from './dialect/create-dialect.js';
import type { DefMetricDialect } from './dialect/dialect.js';
import { loadSchemaRegistry, type SchemaRegistry } from './schema/registry.js';
import { DefMetricRowWriter, type RowWriterOptions } from './writer/row-writer.js';
import { checkWriterOptions, ROW_WRITER_OPTION_KEYS } from './writer/writer-options.js';

/** Options of {@link createDefMetricWriter}: where to write, which schemas, and writer tuning. */
export interface DefMetricWriterOptions extends Omit<RowWriterOptions, 'dialect' | 'schemas'> {
  /** `mysql://…`, `mariadb://…`, `sqlite:./file.db` or `sqlite::memory:`; default `OPMETER_DEF_METRIC_URL`, else `sqlite:./opmeter.db`. */
  readonly url?: string | ConnectionUrl;
  /** A ready dialect instead of a URL. */
  readonly dialect?: DefMetricDialect;
  /** A registry, or extra YAML files/folders read after the built-in schemas. */
  readonly schemas?: SchemaRegistry | readonly string[];
}

/** Every option of {@link createDefMetricWriter}: the writer's, plus `url`. */
const WRITER_OPTION_KEYS: readonly string[] = [
  ...ROW_WRITER_OPTION_KEYS,
  ...optionKeys<Omit<DefMetricWriterOptions, keyof RowWriterOptions>>({ url: true }),
];

/**
 * Creates a def_metric row writer. Returns at once: tables are created and rows written in the
 * background, so an unreachable database never delays the application's start.
 *
 * @example
 * const writer = createDefMetricWriter({ url: 'sqlite:./opmeter.db' });
 * writer.enqueue('def_dataimport_metric', { DataimportCode: 'orders', Package: 'core', ItemsProcessed: 10 });
 * await writer.close();
 */
export function createDefMetricWriter(options: DefMetricWriterOptions = {}): DefMetricRowWriter {
  checkWriterOptions(options, WRITER_OPTION_KEYS, 'createDefMetricWriter options');
  const { url, dialect, schemas, ...writerOptions } = options;
  if (url !== undefined && dialect !== undefined) {
    throw new OpmeterConfigError('createDefMetricWriter: give either url or dialect, not both');
  }
  const registry =
    schemas === undefined || Array.isArray(schemas)
      ? loadSchemaRegistry({ paths: (schemas as readonly string[] | undefined) ?? [] })
      : (schemas as SchemaRegistry);
  const target = dialect ?? createDialect(url === undefined ? defMetricUrlFromEnv() : url);
  return new DefMetricRowWriter({ ...writerOptions, dialect: target, schemas: registry });
}
