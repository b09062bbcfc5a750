import {
  BATCH_FILE_DURATION_BUCKETS,
  BATCH_FILE_DURATION_BUCKETS_FINE,
  type BucketPresets,
  presets,
} from '../../src/core/buckets.js';

export * from '../../src/core/semconv.js';

/** Histogram of module operation durations, in seconds (Prometheus: `module_operation_duration_seconds`). */
export const METRIC_MODULE_OPERATION_DURATION = 'module.operation.duration';
/** Counter of items processed by module operations (Prometheus: `module_items_total`). */
export const METRIC_MODULE_ITEMS = 'module.items';
/** Counter of cache hits reported by module operations (Prometheus: `module_cache_hits_total`). */
export const METRIC_MODULE_CACHE_HITS = 'module.cache.hits';
/** Counter of external API calls made by module operations (Prometheus: `module_api_calls_total`). */
export const METRIC_MODULE_API_CALLS = 'module.api.calls';
/** Histogram of input file sizes of module operations, in bytes (Prometheus: `module_file_size_bytes`). */
export const METRIC_MODULE_FILE_SIZE = 'module.file.size';
/** Observable up-down counter of module operations in flight (Prometheus: `module_active_operations`). */
export const METRIC_MODULE_ACTIVE = 'module.active_operations';
/** Gauge of the age of the oldest operation in flight, seconds (`module_active_operations_max_age_seconds`). */
export const METRIC_MODULE_ACTIVE_MAX_AGE = 'module.active_operations.max_age';
/** Gauge of the summed age of the operations in flight, seconds (`module_active_operations_total_age_seconds`). */
export const METRIC_MODULE_ACTIVE_TOTAL_AGE = 'module.active_operations.total_age';

/**
 * The key a module row gives its code under. The table's YAML names the code column and declares
 * this key as its `alias` (the shipped template: `<ModuleCode>: { alias: ModuleCode }`), so the
 * column is declared in one place and the writer stores the code in it whatever it is called.
 */
export const MODULE_CODE_ROW_KEY = 'ModuleCode';

/** The module the operation belongs to (`dataimport`): the `<module>` of `def_<module>_metric`. */
export const ATTR_OPMETER_MODULE = 'opmeter.module';
/** The operation performed (`import_file`): the `OperationName` column. */
export const ATTR_OPMETER_OPERATION = 'opmeter.operation';

/**
 * 50 ms to 1 h (16 edges), the edges of `BATCH_FILE_DURATION_BUCKETS`: a module operation, from a
 * small lookup to a large file import. Faster operations share the first bucket; use the
 * `'fine'` preset or `slo` edges when they matter.
 */
export const MODULE_OPERATION_DURATION_BUCKETS: readonly number[] = BATCH_FILE_DURATION_BUCKETS;

/** The `'fine'` module preset: R10 from 5 ms to 3,150 s (59 edges), as batch files'. */
export const MODULE_OPERATION_DURATION_BUCKETS_FINE: readonly number[] =
  BATCH_FILE_DURATION_BUCKETS_FINE;

/** Both presets of `module.operation.duration`. */
export const MODULE_OPERATION_DURATION_PRESETS: BucketPresets = presets(
  MODULE_OPERATION_DURATION_BUCKETS,
  MODULE_OPERATION_DURATION_BUCKETS_FINE,
);

/** 1 KiB to 10 GiB in powers of about 10: sizes of the files a module operation reads. */
export const MODULE_FILE_SIZE_BUCKETS: readonly number[] = Object.freeze([
  1024,
  10 * 1024,
  100 * 1024,
  1024 ** 2,
  10 * 1024 ** 2,
  100 * 1024 ** 2,
  1024 ** 3,
  10 * 1024 ** 3,
]);
