export type { BucketPreset, DurationBuckets } from '../../src/core/buckets.js';
export { ModuleInstrumentation } from './instrumentation.js';
export { InvalidModuleConfigError } from './module-names.js';
export type { ModuleFields } from './module-operation.js';
export { ModuleOperation } from './module-operation.js';
export * from './semconv.js';
export type {
  ModuleInstrumentationConfig,
  ModuleRunOptions,
  ModuleStartOptions,
} from './types.js';
