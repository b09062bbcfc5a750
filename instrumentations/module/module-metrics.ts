import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { ModuleMetricRow } from '../../src/core/def-metric-rows.js';
import { errorCategoryOf, errorMessageOf } from '../../src/core/error-classification.js';
import type { InFlightSeries, InFlightSpec } from '../../src/core/in-flight.js';
import type { EndedOperation, OperationDomain } from '../../src/core/operation-domain.js';
import type { ModuleFields } from './module-operation.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_OPMETER_ERROR_CATEGORY,
  ATTR_OUTCOME,
  METRIC_MODULE_ACTIVE,
  METRIC_MODULE_ACTIVE_MAX_AGE,
  METRIC_MODULE_ACTIVE_TOTAL_AGE,
  METRIC_MODULE_API_CALLS,
  METRIC_MODULE_CACHE_HITS,
  METRIC_MODULE_FILE_SIZE,
  METRIC_MODULE_ITEMS,
  METRIC_MODULE_OPERATION_DURATION,
  MODULE_CODE_ROW_KEY,
  MODULE_FILE_SIZE_BUCKETS,
  OUTCOME_VALUE_FAILURE,
} from './semconv.js';

const BYTES_PER_MB = 1024 * 1024;

const IN_FLIGHT: InFlightSpec = {
  count: METRIC_MODULE_ACTIVE,
  description: 'Module operations in flight',
  unit: '{operation}',
  maxAge: METRIC_MODULE_ACTIVE_MAX_AGE,
  totalAge: METRIC_MODULE_ACTIVE_TOTAL_AGE,
};

/**
 * A module row: the generated columns plus the code under {@link MODULE_CODE_ROW_KEY}, which the
 * table's YAML declares as the alias of its code column.
 */
export type ModuleRow = ModuleMetricRow & { readonly [MODULE_CODE_ROW_KEY]: string };

/** A module's instruments, and how an operation lands on them and in `def_<module>_metric`. */
export class ModuleMetrics implements OperationDomain<ModuleFields, ModuleRow> {
  readonly readsMemory = true;
  readonly inFlight = IN_FLIGHT;
  private duration!: Histogram;
  private items!: Counter;
  private cacheHits!: Counter;
  private apiCalls!: Counter;
  private fileSize!: Histogram;

  /** Describes the instruments and rows of module `name`, whose rows go to `table`. */
  constructor(
    readonly name: string,
    readonly table: string,
  ) {}

  /** Creates the module's instruments on `meter`, with `boundaries` for durations. */
  bind(meter: Meter, boundaries: readonly number[]): void {
    this.duration = meter.createHistogram(METRIC_MODULE_OPERATION_DURATION, {
      description: 'Duration of module operations, by outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: [...boundaries] },
    });
    this.items = meter.createCounter(METRIC_MODULE_ITEMS, {
      description: 'Items processed by module operations',
      unit: '{item}',
    });
    this.cacheHits = meter.createCounter(METRIC_MODULE_CACHE_HITS, {
      description: 'Cache hits reported by module operations',
      unit: '{hit}',
    });
    this.apiCalls = meter.createCounter(METRIC_MODULE_API_CALLS, {
      description: 'External API calls made by module operations',
      unit: '{call}',
    });
    this.fileSize = meter.createHistogram(METRIC_MODULE_FILE_SIZE, {
      description: 'Size of the input files read by module operations',
      unit: 'By',
      advice: { explicitBucketBoundaries: [...MODULE_FILE_SIZE_BUCKETS] },
    });
  }

  /** The operations in flight of the operation's (operation, package) series. */
  inFlightOf(fields: ModuleFields): InFlightSeries {
    return fields.series.inFlight;
  }

  /** Records an ended operation on every instrument it touched (the duration's count: the operations). */
  record(operation: EndedOperation<ModuleFields>): void {
    const f = operation.fields;
    const base = f.series.attributes;
    const attributes: Attributes = operation.success
      ? f.series.successAttributes
      : {
          ...base,
          [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE,
          [ATTR_ERROR_TYPE]: operation.errorType,
          [ATTR_OPMETER_ERROR_CATEGORY]: errorCategoryOf(operation.error),
        };
    this.duration.record(operation.durationSeconds, attributes);
    if (operation.items > 0) this.items.add(operation.items, base);
    if (f.cacheHits > 0) this.cacheHits.add(f.cacheHits, base);
    if (f.apiCalls > 0) this.apiCalls.add(f.apiCalls, base);
    if (f.fileSizeBytes !== undefined) this.fileSize.record(f.fileSizeBytes, base);
  }

  /** The `def_<module>_metric` row of an ended operation (ItemsPerSecond is left to the sink). */
  toRow(operation: EndedOperation<ModuleFields>): ModuleRow {
    const f = operation.fields;
    const row: ModuleMetricRow = {
      Package: f.package,
      OperationName: operation.name,
      TargetEntity: f.target ?? null,
      ItemsProcessed: operation.items,
      ElapsedSeconds: operation.durationSeconds,
      MemoryUsageMB: operation.memoryMB,
      FileSizeMB: f.fileSizeBytes === undefined ? null : f.fileSizeBytes / BYTES_PER_MB,
      CacheHits: f.cacheHits,
      APICallsMade: f.apiCalls,
      OperationSuccess: operation.success,
      ErrorMessage: operation.success ? null : errorMessageOf(operation.error),
      ErrorCategory: operation.success ? null : errorCategoryOf(operation.error),
    };
    return { [MODULE_CODE_ROW_KEY]: f.code, ...row };
  }
}
