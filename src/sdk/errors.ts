/**
 * Thrown (or used to reject `startMetrics()`) when opmeter's SDK configuration cannot be used.
 * The message names the offending option or environment variable and says how to fix it.
 */
export class OpmeterConfigError extends Error {
  override name = 'OpmeterConfigError';
}
