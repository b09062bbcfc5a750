import { OpmeterConfigError } from '../../core/config-error.js';
import {
  checkInteger,
  checkKeys,
  checkPositive,
  isRecord,
  MAX_TIMER_MS,
  optionKeys,
} from '../../core/config-validation.js';
import type { RetentionOptions } from './retention.js';
import type { RowWriterOptions } from './row-writer.js';
import type { SpillOptions } from './spill-journal.js';

/** Every option of the row writer: a key the writer would ignore is refused instead. */
export const ROW_WRITER_OPTION_KEYS: readonly string[] = optionKeys<RowWriterOptions>({
  dialect: true,
  schemas: true,
  collation: true,
  migrate: true,
  maxQueueSize: true,
  batchSize: true,
  flushIntervalMs: true,
  retryInitialMs: true,
  retryMaxMs: true,
  probeIntervalMs: true,
  retention: true,
  meterProvider: true,
  onWarning: true,
  warningIntervalMs: true,
  spill: true,
});

const RETENTION_KEYS = optionKeys<RetentionOptions>({
  days: true,
  everyBatches: true,
  chunkSize: true,
});

const SPILL_KEYS = optionKeys<SpillOptions>({
  path: true,
  maxBytes: true,
  thresholdRows: true,
  fsync: true,
});

/** Options that count something: whole numbers from 1. */
const COUNTS = ['maxQueueSize', 'batchSize'] as const;
/** The most rows a queue (or a batch) holds: its slots are allocated up front. */
const MAX_ROWS = 10_000_000;
/** The longest retention: about 270 years, well inside what a `Date` holds. */
const MAX_RETENTION_DAYS = 100_000;

/** Options that are times in milliseconds: numbers above 0, at most a timer's longest delay. */
const DURATIONS = ['flushIntervalMs', 'retryInitialMs', 'retryMaxMs', 'probeIntervalMs'] as const;

/**
 * Checks the writer's options where they are given, so a mistake throws at construction instead of
 * being ignored (a `retension: false` that went unnoticed would delete rows meant to be kept) or
 * failing later in the background: every key, here and in `retention` and `spill`, must be one
 * the writer reads; counts are whole numbers from 1, times and sizes numbers above 0 (the warning
interval a whole number of milliseconds from 0); `onWarning`
 * is a function and `meterProvider` has `getMeter()`.
 * @throws OpmeterConfigError naming the option (as `at`.option), its value and what it must be.
 */
export function checkWriterOptions(options: unknown, allowed: readonly string[], at: string): void {
  if (!isRecord(options)) {
    throw new OpmeterConfigError(`${at} must be an object of options, got ${typeOf(options)}`);
  }
  checkKeys(options, allowed, at);
  const given = options as Partial<RowWriterOptions>;
  for (const name of COUNTS) countOption(given[name], `${at}: ${name}`);
  for (const name of DURATIONS) positiveOption(given[name], MAX_TIMER_MS, `${at}: ${name}`);
  // 0 is allowed: every warning is given, none held back
  const warningInterval = given.warningIntervalMs;
  if (warningInterval !== undefined) {
    checkInteger(warningInterval, 0, MAX_TIMER_MS, `${at}: warningIntervalMs`);
  }
  if (given.onWarning !== undefined && typeof given.onWarning !== 'function') {
    throw new OpmeterConfigError(`${at}: onWarning must be a function (message) => void`);
  }
  const provider = given.meterProvider as { getMeter?: unknown } | undefined;
  if (provider !== undefined && typeof provider?.getMeter !== 'function') {
    throw new OpmeterConfigError(
      `${at}: meterProvider must be an OpenTelemetry MeterProvider (with getMeter()); omit it to use the global one`,
    );
  }
  const schemas = given.schemas as unknown;
  if (
    schemas !== undefined &&
    !Array.isArray(schemas) &&
    typeof (schemas as { tables?: unknown } | null)?.tables !== 'function'
  ) {
    throw new OpmeterConfigError(
      `${at}: schemas must be a list of YAML files or folders, or a loadSchemaRegistry() registry; got ${typeOf(schemas)}`,
    );
  }
  const retention = given.retention as unknown;
  if (retention !== undefined && retention !== false) {
    if (!isRecord(retention)) {
      throw new OpmeterConfigError(
        `${at}: retention must be false (keep every row) or { days, everyBatches, chunkSize }; got ${typeOf(retention)}`,
      );
    }
    checkKeys(retention, RETENTION_KEYS, `${at}: retention`);
    positiveOption(retention.days, MAX_RETENTION_DAYS, `${at}: retention.days`);
    countOption(retention.everyBatches, `${at}: retention.everyBatches`);
    countOption(retention.chunkSize, `${at}: retention.chunkSize`);
  }
  const spill = given.spill as unknown;
  if (spill !== undefined && spill !== false) {
    if (isRecord(spill)) checkKeys(spill, SPILL_KEYS, `${at}: spill`);
    if (!isRecord(spill) || typeof spill.path !== 'string' || spill.path === '') {
      throw new OpmeterConfigError(
        `${at}: spill must be false or { path: './opmeter-spill.db', … } with the journal file's path; got ${typeOf(spill)}`,
      );
    }
    positiveOption(spill.maxBytes, Number.MAX_SAFE_INTEGER, `${at}: spill.maxBytes`);
    countOption(spill.thresholdRows, `${at}: spill.thresholdRows`);
    if (spill.fsync !== undefined && typeof spill.fsync !== 'boolean') {
      throw new OpmeterConfigError(`${at}: spill.fsync must be true or false`);
    }
  }
}

/** What `value` is, for an error message: `null`, `an array`, or its `typeof`. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

function countOption(value: unknown, at: string): void {
  if (value !== undefined) checkInteger(value, 1, MAX_ROWS, at);
}

function positiveOption(value: unknown, max: number, at: string): void {
  if (value !== undefined) checkPositive(value, max, at);
}
