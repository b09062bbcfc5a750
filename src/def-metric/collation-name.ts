import { DefMetricConfigError } from './config-error.js';

const COLLATION_PATTERN = /^utf8mb4_[A-Za-z0-9_]+$/;

/** Throws unless `name` looks like a utf8mb4 collation (it is interpolated into DDL). */
export function assertCollationName(name: string): void {
  if (!COLLATION_PATTERN.test(name)) {
    throw new DefMetricConfigError(
      `invalid collation '${name}': def_metric tables are utf8mb4, so use a utf8mb4 collation such as utf8mb4_unicode_ci`,
    );
  }
}
