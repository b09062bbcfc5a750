import { OpmeterConfigError } from '../core/config-error.js';

/**
 * A configuration mistake that retrying cannot fix (an unknown or invalid collation, say): the
 * row writer stops retrying, warns once and counts the affected rows as dropped.
 */
export class DefMetricConfigError extends OpmeterConfigError {
  override readonly name = 'DefMetricConfigError';
}
