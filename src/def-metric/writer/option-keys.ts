import { checkKeys, isRecord } from '../../sdk/check.js';
import type { RetentionOptions } from './retention.js';
import type { RowWriterOptions } from './row-writer.js';
import type { SpillOptions } from './spill-journal.js';

/** Every option of the row writer: a key the writer would ignore is refused instead. */
export const ROW_WRITER_OPTION_KEYS: readonly (keyof RowWriterOptions)[] = Object.keys({
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
  errorMessageMaxLength: true,
  spill: true,
} satisfies Record<keyof RowWriterOptions, true>) as (keyof RowWriterOptions)[];

const RETENTION_KEYS = Object.keys({
  days: true,
  everyBatches: true,
  chunkSize: true,
} satisfies Record<keyof RetentionOptions, true>);

const SPILL_KEYS = Object.keys({
  path: true,
  maxBytes: true,
  thresholdRows: true,
  fsync: true,
} satisfies Record<keyof SpillOptions, true>);

/**
 * Refuses a misspelt writer option, here or in `retention` and `spill`, instead of ignoring it
 * (a `retension: false` that went unnoticed would delete rows meant to be kept).
 * @throws OpmeterConfigError naming the unknown key, where it is, and the keys allowed there.
 */
export function checkWriterOptionKeys(
  options: object,
  allowed: readonly string[],
  at: string,
): void {
  checkKeys(options, allowed, at);
  const { retention, spill } = options as Partial<RowWriterOptions>;
  if (isRecord(retention)) checkKeys(retention, RETENTION_KEYS, `${at}: retention`);
  if (isRecord(spill)) checkKeys(spill, SPILL_KEYS, `${at}: spill`);
}
