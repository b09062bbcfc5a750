/**
 * A configuration mistake that retrying cannot fix (an unknown or invalid collation, say): the
 * row writer stops retrying, warns once and counts the affected rows as dropped.
 */
export class DefMetricConfigError extends Error {
  override readonly name = 'DefMetricConfigError';
}
