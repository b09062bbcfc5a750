import { existsSync } from 'node:fs';
import {
  type ConnectionUrl,
  DEF_METRIC_URL_ENV,
  defMetricUrlFromEnv,
  loadSchemaRegistry,
  parseConnectionUrl,
  type SchemaRegistry,
} from '../def-metric/index.js';

/** parseArgs options shared by the def_metric commands. */
export const URL_OPTION = { url: { type: 'string' } } as const;
/** Extra YAML schema files or folders (repeatable). */
export const SCHEMAS_OPTION = { schemas: { type: 'string', multiple: true } } as const;

/** Usage lines of the shared options. */
export const SHARED_USAGE = [
  `  --url <url>         mysql://user:pass@host:3306/db, mariadb://…, sqlite:./opmeter.db or sqlite::memory:`,
  `                      (default: $${DEF_METRIC_URL_ENV}, else sqlite:./opmeter.db)`,
  '  --schemas <path>    extra YAML schema file or folder (repeatable)',
].join('\n');

/** The connection URL from `--url`, else the environment, else the SQLite default. */
export function resolveUrl(flag: string | undefined, env: NodeJS.ProcessEnv): ConnectionUrl {
  return flag === undefined ? defMetricUrlFromEnv(env) : parseConnectionUrl(flag);
}

/** Refuses to read an SQLite file that does not exist (opening it would create an empty one). */
export function requireExistingDatabase(url: ConnectionUrl): void {
  if (url.kind === 'sqlite' && url.path !== ':memory:' && !existsSync(url.path)) {
    throw new Error(
      `SQLite database ${url.path} does not exist; pass --url or set ${DEF_METRIC_URL_ENV}`,
    );
  }
}

/** The built-in schemas plus `--schemas` paths. */
export function registryFrom(paths: readonly string[] | undefined): SchemaRegistry {
  return loadSchemaRegistry({ paths: paths ?? [] });
}
