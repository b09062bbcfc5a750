/**
 * Thrown when a configuration cannot be used: an instrumentation's options, bucket boundaries, a
 * module name, a custom metric's definition, the row writer's options, or the SDK's options and
 * environment (`startMetrics()` rejects with it). The message names what is wrong and how to fix
 * it; the subclasses (`InvalidBucketsError`, ...) say which kind of configuration it was.
 */
export class OpmeterConfigError extends Error {
  override name = 'OpmeterConfigError';
}
